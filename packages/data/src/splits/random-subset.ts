import { InvalidFractionError } from '../errors';
import { createRng, shuffleInPlace } from '@metanet/tensor';
import { checkOpenFraction, checkSeed } from './validate';

/** How big a random subset is: an absolute size or a fraction of the dataset. */
export type SubsetSize = { readonly size: number } | { readonly fraction: number };

/** A random subset split: the indices forgotten and the indices retained. */
export interface RandomSubset {
  /** Chosen indices, ascending. */
  readonly subset: Int32Array;
  /** The others, ascending. */
  readonly rest: Int32Array;
}

/**
 * A uniformly random subset of `pool` (indices, or n for 0..n-1) of a given
 * size, or round(fraction·n) (at least 1). Deterministic by seed. For random
 * forgetting, subset = forget and rest = retain.
 */
export function randomSubset(pool: Int32Array | number, opts: SubsetSize & { readonly seed: number }): RandomSubset {
  checkSeed(opts.seed);
  let items: Int32Array;
  if (typeof pool === 'number') {
    if (!Number.isInteger(pool) || pool < 0) throw new InvalidFractionError(`pool size must be an integer ≥ 0, got ${pool}`);
    items = new Int32Array(pool);
    for (let i = 0; i < pool; i++) items[i] = i;
  } else {
    items = pool.slice();
  }
  const n = items.length;
  let k: number;
  if ('fraction' in opts) {
    checkOpenFraction(opts.fraction, 'subset fraction');
    k = Math.max(1, Math.round(opts.fraction * n));
  } else {
    k = opts.size;
    if (!Number.isInteger(k) || k < 1 || k > n) throw new InvalidFractionError(`subset size must be an integer in [1, ${n}], got ${k}`);
  }
  if (k > n) throw new InvalidFractionError(`cannot take ${k} of ${n} samples; the pool is empty or too small`);
  shuffleInPlace(items, createRng(opts.seed));
  return { subset: items.slice(0, k).sort(), rest: items.slice(k).sort() };
}
