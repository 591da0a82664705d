/**
 * Seeds in this package's terms. The generator and the shuffle are
 * @metanet/tensor's (`createRng`, `shuffleInPlace`, `permutation`), so every
 * package draws the same numbers from a seed; this module only checks seeds
 * with this package's error type.
 */
import { createRng, permutation as permutationOf, shuffleInPlace, type Rng } from '@metanet/tensor';
import { InvalidDatasetOptionsError } from './errors';

export type { Rng };
export { shuffleInPlace };

/** A generator for `seed`; seeds must be integers (as `createRng` requires). */
export function rngFor(seed: number): Rng {
  if (!Number.isInteger(seed)) throw new InvalidDatasetOptionsError(`seed must be an integer, got ${seed}`);
  return createRng(seed);
}

/** 0..n-1 shuffled by `seed`. */
export function permutation(n: number, seed: number): Int32Array {
  return permutationOf(n, rngFor(seed));
}
