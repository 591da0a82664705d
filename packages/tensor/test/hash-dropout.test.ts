import { describe, expect, it } from 'vitest';
import { tf, initBackend, hashDropout, hashKeepMask } from '../src/index';
import { checkGradient, floats } from './helpers';

const bits = (t: tf.Tensor): number[] => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

describe('hashDropout (MetanetHashDropout on wasm)', () => {
  // Sizes off the 4-lane width; rates near 0 and near 1; seeds across the uint32 range.
  const CASES = [
    { shape: [3, 5], rate: 0.1, seed: 1 },
    { shape: [2, 7, 5, 3], rate: 0.5, seed: 0xdeadbeef },
    { shape: [1001], rate: 0.9, seed: 123456789 },
    { shape: [8], rate: 0, seed: 7 },
  ];

  it('equals x·mask/(1 − rate) with the host mask bit for bit, forward and gradient', async () => {
    await initBackend({ backend: 'wasm' });
    for (const c of CASES) {
      const n = c.shape.reduce((a, b) => a * b, 1);
      const x = tf.tensor(floats(n, c.seed & 0xffff), c.shape);
      const w = tf.tensor(floats(n, 99), c.shape);
      const ref = tf.tidy(() => tf.mul(x, tf.div(tf.tensor(hashKeepMask(n, c.rate, c.seed), c.shape), 1 - c.rate)));
      const refGrad = tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.mul(v, tf.div(tf.tensor(hashKeepMask(n, c.rate, c.seed), c.shape), 1 - c.rate)), w)))(x));
      const prof = await tf.profile(() => tf.tidy(() => hashDropout(x, c.rate, c.seed)));
      expect(prof.kernelNames).toEqual(['MetanetHashDropout']);
      const got = hashDropout(x, c.rate, c.seed);
      const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(hashDropout(v, c.rate, c.seed), w)))(x);
      expect(bits(got)).toEqual(bits(ref));
      expect(bits(grad)).toEqual(bits(refGrad));
      tf.dispose([x, w, ref, refGrad, got, grad]);
    }
  });

  it('gives the same bits on cpu (host mask) and keeps about 1 − rate of the elements', async () => {
    await initBackend({ backend: 'wasm' });
    const x = tf.tensor(floats(4000, 5), [4000]);
    const onWasm = bits(hashDropout(x, 0.3, 42));
    await initBackend({ backend: 'cpu' });
    const xc = tf.tensor(floats(4000, 5), [4000]);
    expect(bits(hashDropout(xc, 0.3, 42))).toEqual(onWasm);
    const kept = hashKeepMask(4000, 0.3, 42).reduce((a, b) => a + b, 0) / 4000;
    expect(Math.abs(kept - 0.7)).toBeLessThan(0.03);
  });

  it('passes finite differences on wasm', async () => {
    await initBackend({ backend: 'wasm' });
    const x = tf.tensor(floats(30, 3), [5, 6]);
    checkGradient((v) => tf.sum(tf.tanh(hashDropout(v, 0.4, 9))), x);
    x.dispose();
  });
});
