import * as tf from '@tensorflow/tfjs-core';
import { InvalidTensorArgumentError } from './errors';

/** A deterministic pseudo-random generator (sfc32, seeded through splitmix32). */
export interface Rng {
  /** The next 32-bit unsigned integer. */
  next(): number;
  /** Uniform in [0, 1), 53 bits of precision. */
  uniform(): number;
  /** Standard normal (Box–Muller), or N(mean, std²). */
  normal(mean?: number, std?: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Fisher–Yates shuffle in place (see {@link shuffleInPlace}); returns the same array. */
  shuffle<T>(array: T[]): T[];
  /** An independent generator derived from this one (for parallel streams). */
  fork(): Rng;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Creates a generator: the same seed gives the same sequence everywhere (it runs
 * on the host, so tensors made from it are identical across backends too).
 * Any safe integer is a seed; non-integer seeds are rejected.
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed) || !Number.isInteger(seed)) {
    throw new InvalidTensorArgumentError(`createRng: seed must be a finite integer, got ${seed}`);
  }
  // Low and high 32-bit words feed separate lanes of the state, so distinct
  // integer seeds (any sign, up to 2^53) start from distinct states.
  const low = splitmix32(seed >>> 0);
  const high = splitmix32((Math.floor(seed / 2 ** 32) >>> 0) ^ 0x5bd1e995);
  let a = low();
  let b = high();
  let c = low();
  let d = high();
  let spare: number | null = null;
  const next = (): number => {
    // sfc32 (Chris Doty-Humphrey): small state, passes PractRand to 2^40 bytes.
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next();
  const uniform = (): number => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
  const rng: Rng = {
    next,
    uniform,
    normal(mean = 0, std = 1) {
      if (spare !== null) {
        const z = spare;
        spare = null;
        return mean + std * z;
      }
      let u = 0;
      while (u === 0) u = uniform();
      const v = uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return mean + std * r * Math.cos(2 * Math.PI * v);
    },
    int(n) {
      if (!Number.isInteger(n) || n <= 0) throw new InvalidTensorArgumentError(`rng.int: n must be a positive integer, got ${n}`);
      return Math.floor(uniform() * n);
    },
    shuffle<T>(array: T[]): T[] {
      return shuffleInPlace(array, rng);
    },
    fork() {
      return createRng(next() ^ (next() << 1));
    },
  };
  return rng;
}

type SeedOrRng = number | Rng;

function toRng(seed: SeedOrRng): Rng {
  return typeof seed === 'number' ? createRng(seed) : seed;
}

/** An array or typed array whose elements can be swapped in place. */
export interface SwappableArray<T> {
  readonly length: number;
  [index: number]: T;
}

/**
 * Fisher–Yates shuffle in place, from the last position down: position i
 * swaps with a uniform j in [0, i]. Only the last `positions` slots are drawn
 * (default: all), so `array.slice(-k)` after `shuffleInPlace(array, rng, k)`
 * is a uniform sample of k elements for the cost of k draws. Returns `array`.
 */
export function shuffleInPlace<A extends SwappableArray<unknown>>(array: A, rng: Rng, positions = array.length): A {
  const n = array.length;
  if (!Number.isInteger(positions) || positions < 0 || positions > n) {
    throw new InvalidTensorArgumentError(`shuffleInPlace: positions must be an integer in [0, ${n}], got ${positions}`);
  }
  // Position 0 is decided once every other slot is, so it takes no draw.
  const stop = Math.max(n - positions, 1);
  for (let i = n - 1; i >= stop; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}

/** 0..n-1 in a uniformly random order drawn from `seed` (a number or an Rng, which is advanced). */
export function permutation(n: number, seed: SeedOrRng): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new InvalidTensorArgumentError(`permutation: n must be a non-negative integer, got ${n}`);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return shuffleInPlace(order, toRng(seed));
}

function checkShape(name: string, shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new InvalidTensorArgumentError(`${name}: shape [${shape}] must hold non-negative integers`);
    size *= d;
  }
  return size;
}

/** A float32 tensor of N(mean, std²) samples drawn from `seed` (a number or an Rng, which is advanced). */
export function randomNormal(shape: number[], seed: SeedOrRng, mean = 0, std = 1): tf.Tensor {
  const size = checkShape('randomNormal', shape);
  const rng = toRng(seed);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.normal(mean, std);
  return tf.tensor(values, shape, 'float32');
}

/** A float32 tensor of U[min, max) samples drawn from `seed` (a number or an Rng, which is advanced). */
export function randomUniform(shape: number[], seed: SeedOrRng, min = 0, max = 1): tf.Tensor {
  const size = checkShape('randomUniform', shape);
  const rng = toRng(seed);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = min + (max - min) * rng.uniform();
  return tf.tensor(values, shape, 'float32');
}
