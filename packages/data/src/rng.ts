/**
 * Seeded randomness for data generation, splits and shuffling.
 *
 * mulberry32: tiny, fast, and good enough for sampling indices and drawing
 * shapes. Kept local so that splits stay deterministic independently of the
 * tensor package's RNG evolution.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
}

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    uniform: (lo, hi) => lo + (hi - lo) * next(),
  };
}

/** Fisher-Yates shuffle of `arr` in place. */
export function shuffleInPlace(arr: Int32Array, rng: Rng): Int32Array {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
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
  return shuffleInPlace(a, mulberry32(seed));
}
