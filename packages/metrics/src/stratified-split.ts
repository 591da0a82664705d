import { InvalidOptionError, SingleClassError } from './errors.js';
import { permutation, shuffleInPlace, type Rng } from '@metanet/tensor/rng';

/** One train/test partition of sample indices. */
export interface Split {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/**
 * Seeded stratified shuffle splits, the analogue of sklearn's
 * `StratifiedShuffleSplit(n_splits, test_size)`: each split draws
 * ceil(testSize · n) test samples, shared out over the classes in proportion
 * to their sizes (largest remainder), every class keeping at least one sample
 * on each side. The draws differ from sklearn's (different RNG), the sizes and
 * class proportions match.
 */
export function stratifiedShuffleSplits(
  labels: ArrayLike<number>,
  nSplits: number,
  testSize: number,
  rng: Rng,
): Split[] {
  if (!Number.isInteger(nSplits) || nSplits < 1) throw new InvalidOptionError(`splits must be an integer >= 1, got ${nSplits}; the homework protocol uses 10`);
  if (!(testSize > 0 && testSize < 1)) throw new InvalidOptionError(`testSize must be in (0, 1), got ${testSize}; sklearn's default is 0.1`);
  const n = labels.length;
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    let list = byClass.get(c);
    if (!list) byClass.set(c, (list = []));
    list.push(i);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  if (classes.length < 2) throw new SingleClassError(`a stratified split needs at least two classes, got ${classes.length}; pass samples of both groups`);
  for (const c of classes) {
    if (byClass.get(c)!.length < 2) throw new SingleClassError(`class ${c} has a single sample, so it cannot be on both sides of a split; pass at least two per class`);
  }
  const nTest = Math.ceil(testSize * n);
  if (nTest < classes.length || n - nTest < classes.length) {
    throw new InvalidOptionError(`testSize ${testSize} of ${n} samples leaves a side with fewer samples than the ${classes.length} classes; pass more samples or a testSize nearer 0.5`);
  }
  const quotas = allocate(classes.map((c) => byClass.get(c)!.length), nTest);
  const splits: Split[] = [];
  for (let s = 0; s < nSplits; s++) {
    const train: number[] = [];
    const test: number[] = [];
    classes.forEach((c, k) => {
      const members = byClass.get(c)!;
      const order = permutation(members.length, rng);
      for (let i = 0; i < members.length; i++) (i < quotas[k]! ? test : train).push(members[order[i]!]!);
    });
    splits.push({ train: shuffleInPlace(Int32Array.from(train), rng), test: shuffleInPlace(Int32Array.from(test), rng) });
  }
  return splits;
}

/** Largest-remainder share of `total` over `sizes`, each share in [1, size − 1]. */
function allocate(sizes: number[], total: number): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((s) => (s * total) / n);
  const shares = exact.map((e, k) => Math.min(sizes[k]! - 1, Math.max(1, Math.floor(e))));
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = exact.map((e, k) => ({ k, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.k - b.k);
  while (left !== 0) {
    let moved = false;
    for (const { k } of order) {
      if (left > 0 && shares[k]! < sizes[k]! - 1) {
        shares[k]!++;
        left--;
        moved = true;
      } else if (left < 0 && shares[k]! > 1) {
        shares[k]!--;
        left++;
        moved = true;
      }
      if (left === 0) break;
    }
    if (!moved) break;
  }
  return shares;
}
