/**
 * Every error this package throws is a subclass of {@link MetricsError}, so a
 * caller (the CLI maps typed errors to exit 2) can catch the family at once.
 * Messages are one line: what is wrong, then what to do.
 */
export class MetricsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An input holds NaN (or ±Infinity where finite values are required). */
export class NonFiniteInputError extends MetricsError {}

/** An input that must hold at least one sample (or value) is empty. */
export class EmptyInputError extends MetricsError {}

/** Two inputs that must agree in length or shape do not. */
export class ShapeMismatchError extends MetricsError {}

/** A label is not an integer in [0, numClasses). */
export class LabelRangeError extends MetricsError {}

/** A classifier fit (logistic regression, SVC, probe) saw fewer than two classes. */
export class SingleClassError extends MetricsError {}

/** The statistic is undefined for this input, e.g. Kendall τ of a constant sequence. */
export class DegenerateInputError extends MetricsError {}

/** An option is out of its documented range. */
export class InvalidOptionError extends MetricsError {}
