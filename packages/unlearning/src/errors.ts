/**
 * Typed errors of @metanet/unlearning. Messages are one line: the problem,
 * then the fix, so the CLI can print them and exit 2 without a stack trace.
 */

/** Base class: `instanceof UnlearningError` catches every typed error of this package. */
export class UnlearningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * An optimisation loop met a NaN or ±Inf loss or gradient; `step` is the 1-based step that produced it.
 * One class for every training loop, from @metanet/tensor.
 */
export { NonFiniteLossError } from '@metanet/tensor';

/** A request (forget class, fraction, patch) does not fit the dataset, or selects nothing. */
export class InvalidRequestError extends UnlearningError {}

/** The forget set (or another set a method needs) holds no samples. One class with @metanet/data's splits, which throw it too. */
export { EmptyForgetSetError } from '@metanet/data';

/** A net's input or output shape does not match the dataset's images or classes. */
export class NetDatasetMismatchError extends UnlearningError {}

/** A hyperparameter or loop option is out of range or of the wrong type. */
export class InvalidHyperparameterError extends UnlearningError {}

/** No registered method has this name. */
export class UnknownMethodError extends UnlearningError {}

/**
 * A method that assumes one head met a multi-head net, or a task request met a
 * method not adapted to heads; the message names the methods that are.
 */
export class MultiHeadNetError extends UnlearningError {}
