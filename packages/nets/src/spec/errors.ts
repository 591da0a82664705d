/**
 * Typed errors of @metanet/nets. Each carries a one-line message naming the
 * problem and the fix, so the CLI can print it and exit 2 without a stack.
 * They live under spec/ so the tfjs-free subpath can throw them too.
 */

/** Base class: `instanceof NetsError` catches every typed error of this package. */
export class NetsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A NetSpec is malformed (wrong field type, bad shape, incompatible layers). */
export class InvalidSpecError extends NetsError {}

/** A layer type this package does not implement. */
export class UnsupportedLayerError extends NetsError {}

/** `architecture(name)` got a name it does not know. */
export class UnknownArchitectureError extends NetsError {}

/** Weights do not match the spec or contain non-finite values. */
export class InvalidWeightsError extends NetsError {}

/** A saved net or import file is malformed (header, offsets, version). */
export class InvalidNetFileError extends NetsError {}

/** A checkpoint cannot be resumed (missing, corrupt, or from another configuration). */
export class CheckpointError extends NetsError {}

/** A permutation is not a permutation of the right size, or targets no hidden layer. */
export class InvalidPermutationError extends NetsError {}

/** Training options out of range (epochs, batch size, learning rate, ...). */
export class InvalidTrainingOptionsError extends NetsError {}
