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

/** An optimisation loop met a NaN or ±Inf loss or gradient; `step` is the 1-based step that produced it. */
export class NonFiniteLossError extends UnlearningError {
  constructor(
    readonly step: number,
    what: string,
    label: string,
  ) {
    super(`${label}: ${what} is not finite at step ${step}; lower the learning rate, the number of steps or the ascent weight`);
  }
}

/** A request (forget class, fraction, patch) does not fit the dataset, or selects nothing. */
export class InvalidRequestError extends UnlearningError {}

/** The forget set (or another set a method needs) holds no samples. */
export class EmptyForgetSetError extends UnlearningError {}

/** A net's input or output shape does not match the dataset's images or classes. */
export class NetDatasetMismatchError extends UnlearningError {}

/** A hyperparameter or loop option is out of range or of the wrong type. */
export class InvalidHyperparameterError extends UnlearningError {}

/** No registered method has this name. */
export class UnknownMethodError extends UnlearningError {}
