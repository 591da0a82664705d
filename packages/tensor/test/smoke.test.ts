import { describe, expect, it } from 'vitest';
import { tf, initBackend, gatherRows, segmentSum, segmentMean, segmentMax, createRng, backendInfo } from '../src/index';

describe('smoke', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`runs ops on ${backend}`, async () => {
      const info = await initBackend({ backend });
      expect(info.name).toBe(backend);
      const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
      const idx = tf.tensor1d([2, 0, 2], 'int32');
      expect(gatherRows(x, idx).arraySync()).toEqual([[5, 6], [1, 2], [5, 6]]);
      expect(segmentSum(x, idx, 3).arraySync()).toEqual([[3, 4], [0, 0], [6, 8]]);
      expect(segmentMean(x, idx, 3).arraySync()).toEqual([[3, 4], [0, 0], [3, 4]]);
      expect(segmentMax(x, idx, 3).arraySync()).toEqual([[3, 4], [0, 0], [5, 6]]);
      const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(gatherRows(a as tf.Tensor2D, idx), tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]))))(x);
      expect(g.arraySync()).toEqual([[3, 4], [0, 0], [6, 8]]);
      expect(backendInfo().overrides.length).toBeGreaterThan(0);
      expect(createRng(1).next()).toBe(createRng(1).next());
    });
  }
});
