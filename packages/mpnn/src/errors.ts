/** Base class of every error @metanet/mpnn throws on bad input. */
export class MpnnError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A graph handed to a model is malformed (indices out of range, wrong feature sizes, ...). */
export class InvalidGraphError extends MpnnError {}

/** A model or layer option is out of range or inconsistent. */
export class InvalidConfigError extends MpnnError {}

/** A saved GMN directory is missing, truncated, corrupt or from an unknown format version. */
export class InvalidGMNFileError extends MpnnError {}

/** A training loss became NaN or ±Inf; the step's update was not applied. One class for every training loop, from @metanet/tensor. */
export { NonFiniteLossError } from '@metanet/tensor';
