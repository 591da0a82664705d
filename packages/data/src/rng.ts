/**
 * Seeded index helpers on top of @metanet/tensor's `createRng`, so that every
 * package draws from the same generator family and a seed means the same
 * thing everywhere.
 */
import { createRng, type Rng } from '@metanet/tensor';
import { InvalidDatasetOptionsError } from './errors';

export type { Rng };

/** A generator for `seed`; seeds must be integers (as `createRng` requires). */
export function rngFor(seed: number): Rng {
  if (!Number.isInteger(seed)) throw new InvalidDatasetOptionsError(`seed must be an integer, got ${seed}`);
  return createRng(seed);
}

/** Fisher-Yates shuffle of `arr` in place. */
export function shuffleInPlace(arr: Int32Array, rng: Rng): Int32Array {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = arr[i] as number;
    arr[i] = arr[j] as number;
    arr[j] = t;
  }
  return arr;
}

/** 0..n-1 shuffled by `seed`. */
export function permutation(n: number, seed: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return shuffleInPlace(a, rngFor(seed));
}
