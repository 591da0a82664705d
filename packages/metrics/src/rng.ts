import { createRng } from '@metanet/tensor/rng';
import { InvalidOptionError } from './errors.js';

/** A uniform [0, 1) generator. */
export type Uniform = () => number;

/**
 * Seeded uniform stream from @metanet/tensor's `createRng` (sfc32), so the
 * MIAs, splits and probe are reproducible from a seed alone and share the
 * project's one generator. Seeds must be integers.
 */
export function seededUniform(seed: number): Uniform {
  if (!Number.isInteger(seed)) throw new InvalidOptionError(`seed must be an integer, got ${seed}; pass e.g. 0`);
  const rng = createRng(seed);
  return () => rng.uniform();
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(a: T, rand: Uniform): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

/** A uniformly random permutation of 0..n-1. */
export function permutation(n: number, rand: Uniform): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return shuffleInPlace(p, rand);
}
