import { describe, expect, it } from 'vitest';
import { tf, initBackend, batchNormTrain } from '../src/index';
import { checkGradient, expectClose, floats, onStockCpu } from './helpers';

// Rank 2 and 4, batch 1, channel counts off the 4-lane width, and more rows (N·H·W)
// than one 256-row block of the channel sums.
const SHAPES: number[][] = [[5, 3], [1, 4, 3, 5], [2, 7, 5, 8], [4, 9, 9, 13], [700, 1]];

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** y, mean, variance and the gradients of a loss that reads all three, on the current backend. */
function run(shape: number[], seed: number): Float32Array[] {
  const C = shape[shape.length - 1]!;
  return tf.tidy(() => {
    const x = tf.tensor(floats(size(shape), seed), shape);
    const g = tf.tensor1d(floats(C, seed + 1));
    const b = tf.tensor1d(floats(C, seed + 2));
    const wy = tf.tensor(floats(size(shape), seed + 3), shape);
    const wm = tf.tensor1d(floats(C, seed + 4));
    const wv = tf.tensor1d(floats(C, seed + 5));
    const f = (xs: tf.Tensor, gs: tf.Tensor, bs: tf.Tensor): tf.Scalar => {
      const r = batchNormTrain(xs, gs, bs, 1e-5);
      return tf.addN([tf.sum(tf.mul(r.y, wy)), tf.sum(tf.mul(r.mean, wm)), tf.sum(tf.mul(r.variance, wv))]) as tf.Scalar;
    };
    const r = batchNormTrain(x, g, b, 1e-5);
    const grads = tf.grads(f)([x, g, b]);
    return [r.y, r.mean, r.variance, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe('batchNormTrain (MetanetBatchNormTrain and its gradient on wasm)', () => {
  it('matches the tfjs-op version on stock cpu: y, mean, variance and every gradient', async () => {
    for (const [i, shape] of SHAPES.entries()) {
      const expected = await onStockCpu(() => run(shape, 10 * i));
      await initBackend({ backend: 'wasm' });
      const got = run(shape, 10 * i);
      got.forEach((v, k) => expectClose(v, expected[k]!, 1e-3, 1e-4));
    }
  });

  it('runs the compiled kernels on wasm', async () => {
    await initBackend({ backend: 'wasm' });
    const x = tf.tensor(floats(2 * 3 * 3 * 5, 1), [2, 3, 3, 5]);
    const prof = await tf.profile(() => tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(batchNormTrain(v, tf.ones([5]), tf.zeros([5]), 1e-5).y))(x)));
    expect(prof.kernelNames).toContain('MetanetBatchNormTrain');
    expect(prof.kernelNames).toContain('MetanetBatchNormTrainGrad');
    // Nothing leaks: the gradient kernel's three outputs all end up returned or disposed.
    const before = tf.memory().numTensors;
    tf.dispose(tf.tidy(() => tf.grads((v: tf.Tensor, g: tf.Tensor) => tf.sum(batchNormTrain(v, g, tf.zeros([5]), 1e-5).y))([x, tf.ones([5])])));
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('is deterministic: the same inputs give the same bits', async () => {
    await initBackend({ backend: 'wasm' });
    const a = run(SHAPES[3]!, 7);
    const b = run(SHAPES[3]!, 7);
    a.forEach((v, k) => expect(Buffer.from(v.buffer).equals(Buffer.from(b[k]!.buffer))).toBe(true));
  });

  it('passes finite differences for x, scale and offset on wasm', async () => {
    await initBackend({ backend: 'wasm' });
    const shape = [3, 4, 3, 5];
    const x = tf.tensor(floats(size(shape), 3), shape);
    const g = tf.tensor1d(floats(5, 4));
    const b = tf.tensor1d(floats(5, 5));
    const w = tf.tensor(floats(size(shape), 6), shape);
    const loss = (xs: tf.Tensor, gs: tf.Tensor, bs: tf.Tensor): tf.Scalar => {
      const r = batchNormTrain(xs, gs, bs, 1e-5);
      return tf.add(tf.sum(tf.mul(tf.tanh(r.y), w)), tf.sum(tf.mul(r.variance, 0.3))) as tf.Scalar;
    };
    checkGradient((v) => loss(v, g, b), x, { eps: 1e-2, rtol: 3e-2, atol: 3e-2 });
    checkGradient((v) => loss(x, v, b), g);
    checkGradient((v) => loss(x, g, v), b);
    tf.dispose([x, g, b, w]);
  });
});
