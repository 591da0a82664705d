import { describe, expect, it } from 'vitest';
import { tf, initBackend } from '../src/index';
import { checkGradient, floats } from './helpers';

describe('Identity override (wasm, copy-free)', () => {
  it('the copy-free wasm Identity keeps clones valid after the source is disposed', async () => {
    await initBackend({ backend: 'wasm' });
    const ids = tf.backend().numDataIds();
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.clone(a);
    expect(tf.backend().numDataIds()).toBe(ids + 1);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    b.dispose();
    expect(tf.backend().numDataIds()).toBe(ids);
  });

  it('gives back the values, shape and dtype of its input for every numeric dtype (reference: the input itself)', async () => {
    await initBackend({ backend: 'wasm' });
    const inputs = [tf.tensor2d(floats(12, 1), [3, 4]), tf.tensor1d([3, -1, 7], 'int32'), tf.tensor1d([1, 0, 1], 'bool')];
    for (const x of inputs) {
      const y = tf.clone(x);
      expect(y.shape).toEqual(x.shape);
      expect(y.dtype).toBe(x.dtype);
      expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
      y.dispose();
    }
    tf.dispose(inputs);
  });

  it('passes finite differences where the engine saves tensors through it for the backward pass', async () => {
    await initBackend({ backend: 'wasm' });
    const x = tf.tensor2d(floats(4 * 3, 2), [4, 3]);
    const w = tf.tensor2d(floats(3 * 2, 3), [3, 2]);
    checkGradient((v) => tf.sum(tf.square(tf.clone(v))), x);
    checkGradient((v) => tf.sum(tf.sigmoid(tf.matMul(tf.clone(v) as tf.Tensor2D, w))), x);
    tf.dispose([x, w]);
  });
});
