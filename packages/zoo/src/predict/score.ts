import { DegenerateInputError, kendallTau, rSquared } from '@metanet/metrics';

/** Kendall τ-b and R² of predictions against true accuracies. */
export interface PredictionScore {
  readonly tau: number;
  readonly r2: number;
}

/**
 * τ for choosing a checkpoint: a predictor whose outputs are all equal (a saturated sigmoid early
 * in training) ranks nothing, so it scores 0 instead of throwing as `kendallTau` does.
 */
export function selectionTau(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  try {
    return kendallTau(truth, predicted);
  } catch (e) {
    if (e instanceof DegenerateInputError) return 0;
    throw e;
  }
}

/** τ-b (ties handled, as scipy's default) and R² (as sklearn's r2_score) on one set of nets. */
export function scorePredictions(truth: ArrayLike<number>, predicted: ArrayLike<number>): PredictionScore {
  return { tau: selectionTau(truth, predicted), r2: rSquared(truth, predicted) };
}
