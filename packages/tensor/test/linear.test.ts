import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend, linear, tf } from '../src/index';
import { checkGradient, floats } from './helpers';

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

// linear's backward runs BatchMatMul with transpose flags and Sum over axis 0, so on
// wasm this exercises the compiled gemm_tn/gemm_nn and the Sum override.
for (const backend of ['cpu', 'wasm'] as const) {
  describe(`linear (${backend})`, () => {
    beforeAll(async () => {
      await initBackend({ backend });
    });

    test('linear: values and gradients match stock ops, with and without input gradient', () => {
      tf.tidy(() => {
        const x = tf.randomNormal([17, 5], 0, 1, 'float32', 1) as tf.Tensor2D;
        const w = tf.randomNormal([5, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
        const b = tf.randomNormal([3], 0, 1, 'float32', 3) as tf.Tensor1D;
        const dy = tf.randomNormal([17, 3], 0, 1, 'float32', 4);
        const f = (reference: boolean) => (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
          tf.sum(tf.mul(linear(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D, { reference }), dy));
        const fast = tf.grads(f(false))([x, w, b]);
        const ref = tf.grads(f(true))([x, w, b]);
        fast.forEach((g, i) => expect(maxAbsDiff(g, ref[i]!)).toBeLessThan(1e-4));
        const noInput = tf.grads((ww: tf.Tensor, bb: tf.Tensor) =>
          tf.sum(tf.mul(linear(x, ww as tf.Tensor2D, bb as tf.Tensor1D, { inputGrad: false }), dy)),
        )([w, b]);
        expect(maxAbsDiff(noInput[0]!, ref[1]!)).toBeLessThan(1e-4);
        expect(maxAbsDiff(noInput[1]!, ref[2]!)).toBeLessThan(1e-4);
      });
    });

    test('linear: gradients pass finite differences in x, w and b', () => {
      const x = tf.tensor2d(floats(9 * 5, 71), [9, 5]);
      const w = tf.tensor2d(floats(5 * 4, 72), [5, 4]);
      const b = tf.tensor1d(floats(4, 73));
      const loss = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor): tf.Scalar =>
        tf.sum(tf.tanh(linear(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D)));
      checkGradient((v) => loss(v, w, b), x);
      checkGradient((v) => loss(x, v, b), w);
      checkGradient((v) => loss(x, w, v), b);
      checkGradient((v) => tf.sum(tf.tanh(linear(x, v as tf.Tensor2D, b, { inputGrad: false }))), w);
      tf.dispose([x, w, b]);
    });
  });
}
