import { describe, expect, it } from 'vitest';
import { tf, initBackend, fastTanh } from '../src/index';
import { floats, spread } from './helpers';

/** Values across every branch of the tanh in activation.c: 0 and ±0, tiny, both sides of the 0.5 switch, the 9 clamp, ±Inf and NaN. */
const EDGES = [0, -0, 1e-30, -1e-8, 1e-3, 0.25, 0.4999999, 0.5, -0.5, 0.5000001, 1, -2, 3.3, 5, 8.999, 9, 9.5, -20, 100, -1e30, Infinity, -Infinity, NaN];

const wide = (n: number, seed: number): Float32Array => spread(n, seed, 1e-3, 12);

describe('fastTanh (MetanetTanh on wasm)', () => {
  it('is within 4 float32 ulps of Math.tanh everywhere, keeps signs, NaN and saturation, on sizes off the 4-lane width', async () => {
    await initBackend({ backend: 'wasm' });
    for (const values of [Float32Array.from(EDGES), wide(10_003, 1), wide(7, 2)]) {
      const x = tf.tensor1d(values);
      const prof = await tf.profile(() => tf.tidy(() => fastTanh(x)));
      expect(prof.kernelNames).toEqual(['MetanetTanh']);
      tf.dispose(prof.result as tf.Tensor);
      const y = fastTanh(x);
      const got = y.dataSync();
      values.forEach((v, i) => {
        const want = Math.tanh(v);
        if (Number.isNaN(want)) return expect(got[i]).toBeNaN();
        // 4 ulps of float32 at the result's magnitude (2^-21 relative), or 1e-38 absolute near 0.
        expect(Math.abs(got[i]! - want), `tanh(${v}) = ${got[i]}, want ${want}`).toBeLessThanOrEqual(Math.max(Math.abs(want) * 2 ** -21, 1e-38));
        expect(Object.is(got[i], -0)).toBe(Object.is(v, -0));
        expect(Math.abs(got[i]!)).toBeLessThanOrEqual(1);
        // Saturated: exactly ±1 from |x| = 9 on, so its gradient there is exactly 0.
        if (Math.abs(v) >= 9) expect(got[i]).toBe(Math.sign(v));
      });
      tf.dispose([x, y]);
    }
  });

  it("gradient is dy·(1 − y²) from one MetanetTanhGrad, as tf.tanh's", async () => {
    await initBackend({ backend: 'wasm' });
    const x = tf.tensor2d(wide(4 * 37, 3), [4, 37]);
    const w = tf.tensor2d(floats(4 * 37, 4), [4, 37]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(fastTanh(v), w)))(x);
    const ref = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.tanh(v), w)))(x);
    const a = g.dataSync();
    const b = ref.dataSync();
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-6);
    const before = tf.memory().numTensors;
    const prof = await tf.profile(() => tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(fastTanh(v)))(x)));
    expect(prof.kernelNames.filter((k) => k.startsWith('MetanetTanh'))).toEqual(['MetanetTanh', 'MetanetTanhGrad']);
    tf.dispose(prof.result as tf.Tensor);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w, g, ref]);
  });

  it('is tf.tanh, bit for bit, on the cpu backend', async () => {
    await initBackend({ backend: 'cpu' });
    const x = tf.tensor1d(wide(101, 5));
    expect(Array.from(fastTanh(x).dataSync())).toEqual(Array.from(tf.tanh(x).dataSync()));
    x.dispose();
    await initBackend({ backend: 'wasm' });
  });
});
