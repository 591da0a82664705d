import { InvalidFractionError } from '../errors';
import { createRng, shuffleInPlace } from '@metanet/tensor';
import { checkSeed } from './validate';

/** Options of the train/validation/test split: fractions and seed. */
export interface TrainValTestOptions {
  /** Fraction for validation, in [0, 1). */
  readonly val: number;
  /** Fraction for test, in [0, 1). val + test < 1. */
  readonly test?: number;
  readonly seed: number;
}

/** A train/validation/test split as index arrays. */
export interface TrainValTestSplit {
  readonly train: Int32Array;
  readonly val: Int32Array;
  readonly test: Int32Array;
}

function checkPart(p: number, what: string): void {
  if (!(p >= 0 && p < 1)) throw new InvalidFractionError(`${what} fraction must be in [0, 1), got ${p}`);
}

/**
 * Deterministic train/val/test split. Given labels it is stratified: each
 * class is split in the same proportions, so small splits keep the class
 * balance. Given a count n it splits 0..n-1 uniformly. Indices ascending.
 */
export function trainValTestSplit(labelsOrN: Int32Array | number, opts: TrainValTestOptions): TrainValTestSplit {
  checkSeed(opts.seed);
  const testFrac = opts.test ?? 0;
  checkPart(opts.val, 'val');
  checkPart(testFrac, 'test');
  if (opts.val + testFrac >= 1) throw new InvalidFractionError(`val + test fractions must be < 1, got ${opts.val} + ${testFrac}`);
  const labels = typeof labelsOrN === 'number' ? new Int32Array(labelsOrN) : labelsOrN;
  if (typeof labelsOrN === 'number' && (!Number.isInteger(labelsOrN) || labelsOrN < 0)) {
    throw new InvalidFractionError(`n must be an integer ≥ 0, got ${labelsOrN}`);
  }
  // Group by class (a single group when only n is given).
  const groups = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    let g = groups.get(y);
    if (!g) groups.set(y, (g = []));
    g.push(i);
  }
  const rng = createRng(opts.seed);
  const train: number[] = [];
  const val: number[] = [];
  const test: number[] = [];
  for (const y of [...groups.keys()].sort((a, b) => a - b)) {
    const g = shuffleInPlace(Int32Array.from(groups.get(y) as number[]), rng);
    const nVal = Math.round(opts.val * g.length);
    const nTest = Math.round(testFrac * g.length);
    for (let j = 0; j < g.length; j++) {
      const idx = g[j] as number;
      (j < nVal ? val : j < nVal + nTest ? test : train).push(idx);
    }
  }
  const asc = (a: number[]) => Int32Array.from(a).sort();
  return { train: asc(train), val: asc(val), test: asc(test) };
}
