/**
 * Typed errors of @metanet/nets. Each carries a one-line message naming the
 * problem and the fix, so the CLI can print it and exit 2 without a stack.
 * Errors about the spec itself (InvalidSpecError, UnsupportedLayerError, ...)
 * belong to @metanet/spec and extend its SpecError.
 */
import { UnsupportedLayerError } from '@metanet/spec';

/** Base class: `instanceof NetsError` catches every typed error of this package. */
export class NetsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Weights do not match the spec or contain non-finite values. */
export class InvalidWeightsError extends NetsError {}

/** A saved net or import file is malformed (header, offsets, version). */
export class InvalidNetFileError extends NetsError {}

/** A checkpoint cannot be resumed (missing, corrupt, or from another configuration). */
export class CheckpointError extends NetsError {}

/** Training options out of range (epochs, batch size, learning rate, ...). */
export class InvalidTrainingOptionsError extends NetsError {}

/** An ONNX model uses an op (or an arrangement of ops) that no spec layer expresses. */
export class UnsupportedOnnxOpError extends UnsupportedLayerError {
  /** The op type, e.g. 'LSTM'. */
  readonly op: string;
  constructor(op: string, message: string) {
    super(message);
    this.op = op;
  }
}
