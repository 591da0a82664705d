import { ZooError } from '../errors';

/** A split or a training set ended up empty: the zoo is too small for the protocol asked. */
export class EmptySplitError extends ZooError {
  override name = 'EmptySplitError';
}

/** A method name that no registered accuracy predictor answers to. */
export class UnknownMethodError extends ZooError {
  override name = 'UnknownMethodError';
}

/** A method that needs one architecture (the flat-weights MLP) got a zoo with several. */
export class MixedArchitectureError extends ZooError {
  override name = 'MixedArchitectureError';
}

/** Bad options or inputs of the accuracy-prediction API (sizes, seeds, fractions, saved predictors). */
export class InvalidPredictionInputError extends ZooError {
  override name = 'InvalidPredictionInputError';
}
