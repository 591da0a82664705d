import { EmptyInputError, InvalidOptionError, NonFiniteInputError } from './errors.js';

/**
 * Empirical (ε, δ) forgetting scores from repeated runs, in the manner of the
 * NeurIPS 2023 unlearning challenge (Triantafillou et al. 2024): for one
 * forget example, compare a scalar output (e.g. the true-class confidence)
 * across many unlearned models and many retrained models. If unlearning were
 * (ε, δ)-indistinguishable from retraining, every test telling the two apart
 * would satisfy FPR + e^ε FNR ≥ 1 − δ and FNR + e^ε FPR ≥ 1 − δ (Kairouz et
 * al. 2015), so each test's error rates give a lower bound on ε.
 */

/**
 * The ε lower bound implied by one test's error rates:
 * max(ln((1 − δ − FPR) / FNR), ln((1 − δ − FNR) / FPR)), floored at 0.
 * A test with a zero error rate carries no finite bound, and is ignored (0)
 * unless both rates are zero, which gives Infinity (perfectly separable).
 */
export function epsilonLowerBound(fpr: number, fnr: number, delta = 0): number {
  for (const [name, v] of [['fpr', fpr], ['fnr', fnr], ['delta', delta]] as const) {
    if (!(v >= 0 && v <= 1)) throw new InvalidOptionError(`${name} must be in [0, 1], got ${v}`);
  }
  return bound(1 - fpr, fpr, 1 - fnr, fnr, delta);
}

/**
 * The bound from complementary rate pairs: tnr = 1 − fpr and tpr = 1 − fnr are
 * passed separately so count-based callers can give them exactly (1 − 2/3 in
 * floating point is not 1/3, which would turn a true 0 into 2e-16).
 */
function bound(tnr: number, fpr: number, tpr: number, fnr: number, delta: number): number {
  if (fpr === 0 && fnr === 0) return Infinity;
  if (fpr === 0 || fnr === 0) return 0;
  const a = tnr - delta > 0 ? Math.log((tnr - delta) / fnr) : -Infinity;
  const b = tpr - delta > 0 ? Math.log((tpr - delta) / fpr) : -Infinity;
  return Math.max(0, a, b);
}

/** Options of the threshold attack behind the ε-score. */
export interface ThresholdEpsilonOptions {
  /** δ of the (ε, δ) bound. Default 0. */
  readonly delta?: number;
}

/**
 * The largest {@link epsilonLowerBound} over every threshold test "score ≥ t
 * means unlearned" and its mirror, with t at each observed score: how far
 * one-dimensional outputs of unlearned runs can be told from retrained runs.
 * O(n log n). Infinity when the two samples are perfectly separable.
 */
export function thresholdEpsilon(
  unlearned: ArrayLike<number>,
  retrained: ArrayLike<number>,
  options: ThresholdEpsilonOptions = {},
): number {
  const delta = options.delta ?? 0;
  if (!(delta >= 0 && delta < 1)) throw new InvalidOptionError(`delta must be in [0, 1), got ${delta}`);
  const nu = unlearned.length;
  const nr = retrained.length;
  if (nu === 0 || nr === 0) throw new EmptyInputError(`epsilon estimate got ${nu} unlearned and ${nr} retrained scores; both need samples`);
  const points: { v: number; u: boolean }[] = [];
  for (let i = 0; i < nu; i++) points.push({ v: check(unlearned[i]!, 'unlearned', i), u: true });
  for (let i = 0; i < nr; i++) points.push({ v: check(retrained[i]!, 'retrained', i), u: false });
  points.sort((p, q) => p.v - q.v);
  // Sweep thresholds between distinct values: below = predicted "retrained".
  let uBelow = 0;
  let rBelow = 0;
  let best = 0;
  for (let i = 0; i <= points.length; i++) {
    if (i === points.length || i === 0 || points[i]!.v !== points[i - 1]!.v) {
      // Test A: "unlearned" iff score ≥ t; false positives are retrained runs at or
      // above t, false negatives unlearned runs below t. Test B is its mirror.
      const fp = nr - rBelow;
      const fn = uBelow;
      best = Math.max(
        best,
        bound(rBelow / nr, fp / nr, (nu - fn) / nu, fn / nu, delta),
        bound(fp / nr, rBelow / nr, fn / nu, (nu - fn) / nu, delta),
      );
    }
    if (i < points.length) {
      if (points[i]!.u) uBelow++;
      else rBelow++;
    }
  }
  return best;
}

/** Options of the forgetting-quality score. */
export interface ForgettingQualityOptions {
  /** Width of the ε bins. Default 0.5. */
  readonly binWidth?: number;
}

/**
 * Mean per-example score 2^(−⌊ε / binWidth⌋) over forget examples: 1 when ε
 * is in the first bin (indistinguishable from retraining), halving per bin,
 * 0 for ε = Infinity. In [0, 1]; higher is better.
 */
export function forgettingQuality(epsilons: ArrayLike<number>, options: ForgettingQualityOptions = {}): number {
  const width = options.binWidth ?? 0.5;
  if (!(width > 0) || !Number.isFinite(width)) throw new InvalidOptionError(`binWidth must be a finite number > 0, got ${width}; the challenge used 0.5`);
  if (epsilons.length === 0) throw new EmptyInputError('forgetting quality got no ε values; pass one per forget example');
  let sum = 0;
  for (let i = 0; i < epsilons.length; i++) {
    const e = epsilons[i]!;
    if (Number.isNaN(e) || e < 0) throw new NonFiniteInputError(`ε at index ${i} is ${e}; each ε must be >= 0 (Infinity allowed)`);
    sum += e === Infinity ? 0 : 2 ** -Math.floor(e / width);
  }
  return sum / epsilons.length;
}

function check(v: number, what: string, i: number): number {
  if (Number.isNaN(v)) throw new NonFiniteInputError(`epsilon estimate: ${what} score ${i} is NaN; compute scores from finite outputs`);
  return v;
}
