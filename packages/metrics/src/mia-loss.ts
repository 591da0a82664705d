import { DEFAULT_MAX_LOSS } from './cross-entropy.js';
import { InvalidOptionError, NonFiniteInputError } from './errors.js';
import { lrAttack, type LrAttackOptions, type LrAttackResult } from './lr-attack.js';

/** Options of the loss-based membership-inference attack (a logistic regression on losses). */
export interface LossMiaOptions extends LrAttackOptions {
  /** Each loss is clipped to this before fitting. Default {@link DEFAULT_MAX_LOSS} (≈ 27.63). */
  readonly maxLoss?: number;
}

/** Result of the loss-based membership-inference attack. */
export type LossMiaResult = LrAttackResult;

/**
 * Loss-based membership inference, the homework protocol's attack (NeurIPS 2023 unlearning
 * starter kit) protocol: the larger of the two groups of per-sample losses is
 * subsampled, seeded, to the size of the smaller; group A is labelled 1 and
 * group B 0; a logistic regression on the 1-D loss is scored by mean held-out
 * accuracy over 10 stratified shuffle splits (test size 0.1). Typical use:
 * `lossMia(forgetLosses, testLosses)` → near 0.5 after good unlearning.
 *
 * Losses are clipped to `maxLoss` first (+Infinity included), so a filtered
 * model's 1e9 losses give a finite, well-posed fit. NaN throws.
 */
export function lossMia(
  groupA: ArrayLike<number>,
  groupB: ArrayLike<number>,
  options: LossMiaOptions = {},
): LossMiaResult {
  const maxLoss = options.maxLoss ?? DEFAULT_MAX_LOSS;
  if (!(maxLoss > 0) || !Number.isFinite(maxLoss)) throw new InvalidOptionError(`maxLoss must be a finite number > 0, got ${maxLoss}; use e.g. ${DEFAULT_MAX_LOSS.toFixed(2)}`);
  return lrAttack(clip(groupA, maxLoss, 'group A'), clip(groupB, maxLoss, 'group B'), 'loss MIA', options);
}

function clip(values: ArrayLike<number>, maxLoss: number, what: string): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v) || v === -Infinity) {
      throw new NonFiniteInputError(`loss MIA: ${what} loss ${v} at index ${i}; recompute losses with perSampleCrossEntropy`);
    }
    out[i] = v > maxLoss ? maxLoss : v;
  }
  return out;
}
