/**
 * Typed errors of @metanet/graph. Each message is one line naming the problem
 * and the fix, so the CLI can print it and exit 2 without a stack.
 */

/** Base class: `instanceof GraphError` catches every typed error of this package. */
export class GraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A layer type the parameter graph cannot encode. */
export class UnsupportedLayerError extends GraphError {}

/** `params` has the wrong number of tensors for the spec. */
export class ParamCountError extends GraphError {}

/** One parameter tensor has the wrong size or is not a Float32Array. */
export class ParamShapeError extends GraphError {}

/** A NaN or ±Infinity weight, found with `{ strict: true }`. */
export class NonFiniteWeightError extends GraphError {
  constructor(
    message: string,
    readonly tensor: string,
    readonly index: number,
  ) {
    super(message);
  }
}

/** A graph or an edge-value vector that does not belong to the given spec. */
export class GraphMismatchError extends GraphError {}

/** A parameter tensor, element or edge id that is not in the graph. */
export class ParamIndexError extends GraphError {}

/** Graphs that cannot be batched or unbatched together (empty list, wrong value length). */
export class BatchError extends GraphError {}

/** A graphology graph that was not produced by `toGraphology` (missing or bad attributes). */
export class InvalidGraphologyError extends GraphError {}
