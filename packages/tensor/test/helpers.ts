import { tf, initBackend, type BackendName } from '../src/index';
import { setOverridesEnabled } from '../src/kernels/index';

export const FAST_BACKENDS = ['wasm', 'cpu'] as const satisfies readonly BackendName[];

/** Runs fn on tfjs's stock cpu kernels (metanet overrides off) and returns plain arrays. */
export async function onStockCpu<T>(fn: () => T): Promise<T> {
  await initBackend({ backend: 'cpu' });
  setOverridesEnabled(false);
  try {
    return fn();
  } finally {
    setOverridesEnabled(true);
  }
}

/** Deterministic small pseudo-random floats without tfjs (so every backend sees the same inputs). */
export function floats(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

export function ints(n: number, hi: number, seed: number): Int32Array {
  const f = floats(n, seed);
  return Int32Array.from(f, (v) => Math.min(hi - 1, Math.floor(((v + 1) / 2) * hi)));
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-5, atol = 1e-5): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`element ${i}: got ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
    }
  }
}

/**
 * Central finite differences of a scalar function of x on up to `maxCoords`
 * coordinates, compared with tf.grad. float32 maths, so tolerances are ~1e-2.
 */
export function checkGradient(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, { eps = 1e-2, rtol = 2e-2, atol = 2e-2, maxCoords = 24 } = {}): void {
  const analytic = tf.tidy(() => tf.grad(f)(x).dataSync().slice());
  const base = x.dataSync().slice();
  const n = base.length;
  const step = Math.max(1, Math.floor(n / maxCoords));
  for (let i = 0; i < n; i += step) {
    const at = (delta: number): number =>
      tf.tidy(() => {
        const v = base.slice();
        v[i] = v[i]! + delta;
        return f(tf.tensor(v, x.shape, 'float32')).dataSync()[0]!;
      });
    const numeric = (at(eps) - at(-eps)) / (2 * eps);
    const a = analytic[i]!;
    if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) {
      throw new Error(`gradient at ${i}: tf.grad ${a}, finite difference ${numeric}`);
    }
  }
}

/** A convolution's geometry in a kernel test: NHWC input, (kh, kw, in, out) filter, tfjs strides and padding. */
export interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
  dilations?: number;
}

/** Geometries every conv kernel test covers: odd sizes, batch 1, channels off 4, strides 1, 2 and mixed, 'same', 'valid' and numeric padding, a 1×1 conv. */
export const CONV_CASES: readonly ConvCase[] = [
  { x: [2, 6, 6, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [2, 7, 5, 2], filter: [3, 3, 2, 3], strides: 2, pad: 'same' },
  { x: [1, 8, 8, 1], filter: [5, 3, 1, 2], strides: [2, 1], pad: 'valid' },
  { x: [3, 5, 5, 4], filter: [1, 1, 4, 6], strides: 1, pad: 'valid' },
  { x: [2, 6, 6, 2], filter: [3, 3, 2, 2], strides: 1, pad: 1 },
  { x: [1, 1, 1, 1], filter: [1, 1, 1, 1], strides: 1, pad: 'valid' },
];

/** n floats spread for activation tests: every third near 0 (floats() × `near`), the rest over ±`far`. */
export function spread(n: number, seed: number, near: number, far: number): Float32Array {
  return Float32Array.from(floats(n, seed), (v, i) => (i % 3 === 0 ? v * near : v * far));
}
