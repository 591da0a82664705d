import { describe, expect, it } from 'vitest';
import { tf, initBackend, fastGelu, geluReference } from '../src/index';
import { floats, spread } from './helpers';

const EDGES = [0, -0, 1e-30, -1e-6, 0.3, -0.3, 1, -1, 2.5, -2.5, 5, -5, 8, -8, 13, -13, 40, -40, Infinity, -Infinity];

const wide = (n: number, seed: number): Float32Array => spread(n, seed, 1e-2, 10);

describe('fastGelu (MetanetGelu on wasm)', () => {
  it('matches the tf.erf form to 1e-6 absolute (both use A&S 7.1.26), on sizes off the 4-lane width', async () => {
    await initBackend({ backend: 'wasm' });
    for (const values of [Float32Array.from(EDGES), wide(10_001, 1), wide(6, 2)]) {
      const x = tf.tensor1d(values);
      const prof = await tf.profile(() => tf.tidy(() => fastGelu(x)));
      expect(prof.kernelNames).toEqual(['MetanetGelu']);
      tf.dispose(prof.result as tf.Tensor);
      const got = fastGelu(x).dataSync();
      const want = geluReference(x).dataSync();
      values.forEach((v, i) => {
        // ±Inf as the reference: Inf·Φ(Inf) = Inf, and -Inf·Φ(-Inf) = -Inf·0 = NaN.
        if (!Number.isFinite(v)) return v > 0 ? expect(got[i]).toBe(Infinity) : (expect(got[i]).toBeNaN(), expect(want[i]).toBeNaN());
        // Relative to |x| for large inputs (GELU ≈ x there), absolute near 0.
        expect(Math.abs(got[i]! - want[i]!), `gelu(${v}) = ${got[i]}, want ${want[i]}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(v)));
      });
      x.dispose();
    }
  });

  it('is exact where Φ is known: 0 at 0, x/2 + x²/√(2π)… near 0, x for large x and about 0 for very negative x', async () => {
    await initBackend({ backend: 'wasm' });
    const got = fastGelu(tf.tensor1d([0, 1e-4, 30, -30])).dataSync();
    expect(got[0]).toBe(0);
    expect(got[1]).toBeCloseTo(0.5e-4 + 1e-8 / Math.sqrt(2 * Math.PI), 10);
    expect(got[2]).toBe(30);
    expect(Math.abs(got[3]!)).toBeLessThan(1e-30);
  });

  it('has the gradient Φ(x) + x·φ(x), from one MetanetGeluGrad, matching finite differences and the tf-op gradient', async () => {
    await initBackend({ backend: 'wasm' });
    const values = wide(4 * 23, 3);
    const x = tf.tensor2d(values, [4, 23]);
    const w = tf.tensor2d(floats(4 * 23, 4), [4, 23]);
    const g = tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(fastGelu(v), w)))(x).dataSync());
    const ref = tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(geluReference(v), w)))(x).dataSync());
    const wv = w.dataSync();
    const phi = (z: number): number => Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
    values.forEach((v, i) => {
      expect(Math.abs(g[i]! - ref[i]!)).toBeLessThan(2e-5 * Math.max(1, Math.abs(v)));
      // Φ from the forward itself: gelu(x)/x (x away from 0), so the check is independent of the erf approximation.
      if (Math.abs(v) > 0.5) {
        const Phi = tf.tidy(() => fastGelu(tf.scalar(v)).dataSync()[0]!) / v;
        expect(Math.abs(g[i]! - wv[i]! * (Phi + v * phi(v)))).toBeLessThan(1e-5);
      }
    });
    const before = tf.memory().numTensors;
    const prof = await tf.profile(() => tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(fastGelu(v)))(x)));
    expect(prof.kernelNames.filter((k) => k.startsWith('MetanetGelu'))).toEqual(['MetanetGelu', 'MetanetGeluGrad']);
    tf.dispose(prof.result as tf.Tensor);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w]);
  });

  it('is the tf.erf form, bit for bit, on the cpu backend', async () => {
    await initBackend({ backend: 'cpu' });
    const x = tf.tensor1d(wide(101, 5));
    expect(Array.from(fastGelu(x).dataSync())).toEqual(Array.from(geluReference(x).dataSync()));
    x.dispose();
    await initBackend({ backend: 'wasm' });
  });

  it('saturates for huge inputs: gelu(x) = x and a gradient of 1 above, 0 and a gradient of 0 below', async () => {
    await initBackend({ backend: 'wasm' });
    const x = tf.tensor1d([1e38, 50, 14, -14, -50, -1e38]);
    const y = tf.tidy(() => fastGelu(x).dataSync());
    const g = tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(fastGelu(v)))(x).dataSync());
    expect(Array.from(y.slice(0, 3))).toEqual([1e38, 50, 14].map(Math.fround));
    y.slice(3).forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-30));
    expect(Array.from(g)).toEqual([1, 1, 1, 0, 0, 0]);
    x.dispose();
  });
});
