import { describe, expect, it } from 'vitest';
import { tf, initBackend } from '../src/index';
import { checkGradient, expectClose, floats, onStockCpu } from './helpers';

const CASES: { shape: number[]; axis: number | number[]; keepDims: boolean }[] = [
  { shape: [50, 7], axis: 0, keepDims: false }, // leading axis: the override
  { shape: [50, 7], axis: [0], keepDims: true },
  { shape: [4, 5, 6], axis: [1, 0], keepDims: false }, // two leading axes, unsorted
  { shape: [4, 5, 6], axis: 0, keepDims: true },
  { shape: [1, 3], axis: 0, keepDims: false }, // single row
  { shape: [0, 3], axis: 0, keepDims: false }, // no rows → zeros (stock wasm would return uninitialised memory)
  { shape: [3, 0, 2], axis: 1, keepDims: true }, // empty, not leading → zeros too
  { shape: [2, 0], axis: -1, keepDims: false },
  { shape: [4, 5, 6], axis: 1, keepDims: false }, // not leading → stock
  { shape: [50, 7], axis: -1, keepDims: false }, // innermost → stock
  { shape: [6, 4], axis: [0, 1], keepDims: false }, // everything → stock
];

describe('Sum override (wasm, leading axes)', () => {
  it('matches stock cpu on every axis layout', async () => {
    for (const [i, c] of CASES.entries()) {
      const v = floats(c.shape.reduce((p, d) => p * d, 1), 500 + i);
      const expected = await onStockCpu(() => tf.tidy(() => {
        const s = tf.sum(tf.tensor(v, c.shape), c.axis, c.keepDims);
        return { shape: s.shape, values: s.dataSync() };
      }));
      await initBackend({ backend: 'wasm' });
      const got = tf.tidy(() => {
        const s = tf.sum(tf.tensor(v, c.shape), c.axis, c.keepDims);
        return { shape: s.shape, values: s.dataSync() };
      });
      expect(got.shape, JSON.stringify(c)).toEqual(expected.shape);
      expectClose(got.values, expected.values, 1e-5, 1e-5);
    }
  });

  it('gives the bias-add gradient (finite differences)', async () => {
    await initBackend({ backend: 'wasm' });
    const x = tf.tensor2d(floats(30 * 5, 1), [30, 5]);
    const b = tf.tensor1d(floats(5, 2));
    checkGradient((v) => tf.sum(tf.tanh(tf.add(x, v))), b);
    tf.dispose([x, b]);
  });

  it('returns zeros for empty inputs even when the heap under them holds garbage', async () => {
    await initBackend({ backend: 'wasm' });
    for (let i = 0; i < 20; i++) {
      // Free some non-zero tensors first, so a kernel that skips initialising its output would read them back.
      tf.dispose([tf.fill([64], 3), tf.fill([3], 7), tf.fill([2], -5, 'int32')]);
      expect(Array.from(tf.sum(tf.zeros([0, 3]), 0).dataSync())).toEqual([0, 0, 0]);
      expect(Array.from(tf.sum(tf.zeros([2, 0], 'int32'), 1).dataSync())).toEqual([0, 0]);
    }
  });

  it('leaves int32 sums to the stock kernel', async () => {
    await initBackend({ backend: 'wasm' });
    expect(tf.sum(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), 0).arraySync()).toEqual([4, 6]);
  });
});
