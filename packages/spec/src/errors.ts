/**
 * Typed errors of @metanet/spec. Each carries a one-line message naming the
 * problem and the fix, so the CLI can print it and exit 2 without a stack.
 */

/** Base class: `instanceof SpecError` catches every typed error of this package. */
export class SpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A NetSpec is malformed (wrong field type, bad shape, incompatible layers). */
export class InvalidSpecError extends SpecError {}

/** A layer type this package does not define. */
export class UnsupportedLayerError extends SpecError {}

/** `architecture(name)` got a name it does not know. */
export class UnknownArchitectureError extends SpecError {}

/** A permutation is not a permutation of the right size, targets no hidden group, or splits a group norm's blocks. */
export class InvalidPermutationError extends SpecError {}
