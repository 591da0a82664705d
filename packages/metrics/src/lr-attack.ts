import { EmptyInputError, NonFiniteInputError } from './errors.js';
import { fitLogisticRegression, predictLogisticProba } from './logistic-regression.js';
import { permutation, type Rng } from '@metanet/tensor/rng';
import { seededRng } from './rng.js';
import { stratifiedShuffleSplits } from './stratified-split.js';

/** Settings of the logistic-regression attack shared by the loss and entropy MIAs. */
export interface LrAttackOptions {
  /** Number of stratified shuffle splits. Default 10, as the homework protocol (unlearning README) uses. */
  readonly splits?: number;
  /** Test fraction of each split. Default 0.1, sklearn's `StratifiedShuffleSplit` default when neither size is given. */
  readonly testSize?: number;
  /** Seed for the subsampling and the splits. Default 0. */
  readonly seed?: number;
  /** Inverse L2 strength of the logistic regression. Default 1 (sklearn's default). */
  readonly C?: number;
}

export interface LrAttackResult {
  /** Mean held-out attack accuracy over the splits, in [0, 1]; 0.5 means the groups are indistinguishable. */
  readonly accuracy: number;
  /** The held-out accuracy of each split. */
  readonly splitAccuracies: Float64Array;
  /** Samples used from each group after subsampling the larger one. */
  readonly samplesPerGroup: number;
}

/**
 * The homework protocol's attack on a 1-D feature: subsample the larger group (seeded) to
 * the smaller's size, label A = 1 and B = 0, and report a logistic
 * regression's mean held-out accuracy over stratified shuffle splits
 * (sklearn's `cross_val_score(LogisticRegression(), x, y, cv=StratifiedShuffleSplit(...))`).
 */
export function lrAttack(
  groupA: ArrayLike<number>,
  groupB: ArrayLike<number>,
  what: string,
  options: LrAttackOptions = {},
): LrAttackResult {
  if (groupA.length === 0 || groupB.length === 0) {
    throw new EmptyInputError(`${what} got ${groupA.length} and ${groupB.length} samples; both groups need samples (is the forget set empty?)`);
  }
  const rng = seededRng(options.seed ?? 0);
  const n = Math.min(groupA.length, groupB.length);
  const x = new Float64Array(2 * n);
  const y = new Uint8Array(2 * n);
  x.set(pick(groupA, n, rng, `${what} group A`), 0);
  x.set(pick(groupB, n, rng, `${what} group B`), n);
  y.fill(1, 0, n);

  const splits = stratifiedShuffleSplits(y, options.splits ?? 10, options.testSize ?? 0.1, rng);
  const splitAccuracies = new Float64Array(splits.length);
  splits.forEach((split, s) => {
    const model = fitLogisticRegression(gather(x, split.train), gather(y, split.train), 1, { C: options.C ?? 1 });
    const proba = predictLogisticProba(model, gather(x, split.test));
    let correct = 0;
    split.test.forEach((idx, t) => {
      // sklearn predicts class 1 only when P > 0.5 strictly.
      if ((proba[t]! > 0.5 ? 1 : 0) === y[idx]) correct++;
    });
    splitAccuracies[s] = correct / split.test.length;
  });
  let sum = 0;
  for (const v of splitAccuracies) sum += v;
  return { accuracy: sum / splitAccuracies.length, splitAccuracies, samplesPerGroup: n };
}

function pick(values: ArrayLike<number>, n: number, rng: Rng, what: string): Float64Array {
  const order = values.length > n ? permutation(values.length, rng) : null;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const at = order ? order[i]! : i;
    const v = values[at]!;
    if (!Number.isFinite(v)) throw new NonFiniteInputError(`${what}: value ${v} at index ${at}; the attack needs finite features, recompute them from the model`);
    out[i] = v;
  }
  return out;
}

function gather<T extends Float64Array | Uint8Array>(src: T, idx: Int32Array): T {
  const out = new (src.constructor as new (n: number) => T)(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = src[idx[i]!]!;
  return out;
}
