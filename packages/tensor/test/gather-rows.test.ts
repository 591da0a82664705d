import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tf, initBackend, gatherRows, IndexOutOfRangeError, InvalidTensorArgumentError } from '../src/index';
import { FAST_BACKENDS, checkGradient, floats, ints, onStockCpu } from './helpers';

const CASES: { rows: number; width: number; idx: number[] }[] = [
  { rows: 5, width: 3, idx: [4, 0, 0, 2, 4, 1] }, // repeated, out of order
  { rows: 1, width: 1, idx: [0] }, // single row
  { rows: 7, width: 40, idx: [6, 2, 2, 5] }, // wide rows: copyWithin / set path
  { rows: 4, width: 64, idx: [] }, // no indices
  { rows: 0, width: 8, idx: [] }, // empty source
  { rows: 3, width: 0, idx: [2, 1] }, // zero-width rows
];

function stockGather(rows: number, width: number, idx: number[], seed: number): Promise<Float32Array> {
  return onStockCpu(() =>
    tf.tidy(() => tf.gather(tf.tensor2d(floats(rows * width, seed), [rows, width]), tf.tensor1d(idx, 'int32'), 0).dataSync() as Float32Array),
  );
}

describe('gatherRows / GatherV2 override', () => {
  for (const backend of FAST_BACKENDS) {
    it(`matches stock cpu gather on ${backend}`, async () => {
      for (const [i, c] of CASES.entries()) {
        const expected = await stockGather(c.rows, c.width, c.idx, i + 1);
        await initBackend({ backend });
        const got = tf.tidy(() => gatherRows(tf.tensor2d(floats(c.rows * c.width, i + 1), [c.rows, c.width]), tf.tensor1d(c.idx, 'int32')));
        expect(got.shape).toEqual([c.idx.length, c.width]);
        expect(Array.from(got.dataSync())).toEqual(Array.from(expected));
        got.dispose();
      }
    });

    it(`matches stock cpu gather on random shapes on ${backend} (property)`, async () => {
      const arb = fc.record({ rows: fc.integer({ min: 1, max: 30 }), width: fc.integer({ min: 1, max: 70 }), n: fc.integer({ min: 0, max: 50 }), seed: fc.integer({ min: 1, max: 1e6 }) });
      await fc.assert(
        fc.asyncProperty(arb, async ({ rows, width, n, seed }) => {
          const idx = Array.from(ints(n, rows, seed));
          const expected = await stockGather(rows, width, idx, seed);
          await initBackend({ backend });
          const got = tf.tidy(() => gatherRows(tf.tensor2d(floats(rows * width, seed), [rows, width]), tf.tensor1d(idx, 'int32')).dataSync());
          expect(Array.from(got)).toEqual(Array.from(expected));
        }),
        { numRuns: 25 },
      );
    });

    it(`has the segment-sum gradient (finite differences) on ${backend}`, async () => {
      await initBackend({ backend });
      const idx = tf.tensor1d([3, 0, 3, 1, 3], 'int32');
      const w = tf.tensor2d(floats(5 * 4, 9), [5, 4]);
      const x = tf.tensor2d(floats(4 * 4, 10), [4, 4]);
      checkGradient((v) => tf.sum(tf.mul(tf.tanh(gatherRows(v as tf.Tensor2D, idx)), w)), x);
      // Row 2 is never gathered: its gradient is exactly zero.
      const g = tf.grad((v: tf.Tensor) => tf.sum(gatherRows(v as tf.Tensor2D, idx)))(x);
      expect(Array.from(g.dataSync())).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 3, 3, 3, 3]);
      tf.dispose([idx, w, x, g]);
    });

    it(`rejects out-of-range indices with a typed error on ${backend}`, async () => {
      await initBackend({ backend });
      const x = tf.ones([3, 2]) as tf.Tensor2D;
      expect(() => gatherRows(x, tf.tensor1d([0, 3], 'int32'))).toThrow(IndexOutOfRangeError);
      expect(() => gatherRows(x, tf.tensor1d([-1], 'int32'))).toThrow(IndexOutOfRangeError);
      x.dispose();
    });
  }

  it('validates ranks and dtypes', async () => {
    await initBackend({ backend: 'wasm' });
    expect(() => gatherRows(tf.ones([3]) as unknown as tf.Tensor2D, tf.tensor1d([0], 'int32'))).toThrow(InvalidTensorArgumentError);
    expect(() => gatherRows(tf.ones([3, 2]) as tf.Tensor2D, tf.tensor1d([0], 'float32'))).toThrow(/int32/);
  });

  it('leaves other axes to the stock kernel', async () => {
    await initBackend({ backend: 'wasm' });
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(tf.gather(x, tf.tensor1d([2, 0], 'int32'), 1).arraySync()).toEqual([[3, 1], [6, 4]]);
    // Batched 3-D gather along axis 0 keeps trailing dims.
    const y = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    expect(tf.gather(y, tf.tensor1d([1], 'int32')).arraySync()).toEqual([[[5, 6], [7, 8]]]);
  });
});
