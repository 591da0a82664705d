import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tf, initBackend, segmentSum, segmentMean, segmentMax, IndexOutOfRangeError, InvalidTensorArgumentError } from '../src/index';
import { FAST_BACKENDS, checkGradient, expectClose, floats, ints, onStockCpu } from './helpers';

type Reduce = 'sum' | 'mean' | 'max';

/** float64 host reference; empty segments are 0, negative ids dropped. */
function reference(kind: Reduce, x: Float32Array, ids: ArrayLike<number>, numSegments: number, width: number): Float64Array {
  const out = new Float64Array(numSegments * width).fill(kind === 'max' ? -Infinity : 0);
  const count = new Float64Array(numSegments);
  for (let e = 0; e < ids.length; e++) {
    const s = ids[e]!;
    if (s < 0) continue;
    count[s]! += 1;
    for (let d = 0; d < width; d++) {
      const v = x[e * width + d]!;
      const o = s * width + d;
      out[o] = kind === 'max' ? Math.max(out[o]!, v) : out[o]! + v;
    }
  }
  for (let s = 0; s < numSegments; s++) {
    for (let d = 0; d < width; d++) {
      const o = s * width + d;
      if (count[s] === 0) out[o] = 0;
      else if (kind === 'mean') out[o] = out[o]! / count[s]!;
    }
  }
  return out;
}

const OPS = { sum: segmentSum, mean: segmentMean, max: segmentMax } as const;

const CASES: { rows: number; width: number; ids: number[]; numSegments: number }[] = [
  { rows: 6, width: 3, ids: [2, 0, 2, 4, 0, 2], numSegments: 6 }, // out of order, empty segments 1, 3, 5
  { rows: 1, width: 5, ids: [0], numSegments: 1 }, // single row
  { rows: 0, width: 4, ids: [], numSegments: 3 }, // no rows: all zero
  { rows: 4, width: 2, ids: [1, -1, 1, -1], numSegments: 2 }, // dropped rows
  { rows: 5, width: 1, ids: [0, 0, 0, 0, 0], numSegments: 1 }, // width 1
  { rows: 3, width: 2, ids: [0, 1, 2], numSegments: 0 + 3 },
];

describe('segmentSum / segmentMean / segmentMax', () => {
  for (const backend of FAST_BACKENDS) {
    for (const kind of ['sum', 'mean', 'max'] as const) {
      it(`${kind} matches a float64 reference on ${backend}`, async () => {
        await initBackend({ backend });
        for (const [i, c] of CASES.entries()) {
          const xv = floats(c.rows * c.width, 40 + i);
          const got = tf.tidy(() => OPS[kind](tf.tensor2d(xv, [c.rows, c.width]), tf.tensor1d(c.ids, 'int32'), c.numSegments).dataSync());
          expectClose(got, reference(kind, xv, c.ids, c.numSegments, c.width), 1e-5, 1e-6);
        }
      });

      it(`${kind} matches the reference on random inputs on ${backend} (property)`, async () => {
        await initBackend({ backend });
        const arb = fc.record({ rows: fc.integer({ min: 0, max: 60 }), width: fc.integer({ min: 1, max: 20 }), segs: fc.integer({ min: 1, max: 15 }), seed: fc.integer({ min: 1, max: 1e6 }) });
        fc.assert(
          fc.property(arb, ({ rows, width, segs, seed }) => {
            const xv = floats(rows * width, seed);
            const ids = ints(rows, segs, seed + 1);
            const got = tf.tidy(() => OPS[kind](tf.tensor2d(xv, [rows, width]), tf.tensor1d(ids, 'int32'), segs).dataSync());
            expectClose(got, reference(kind, xv, ids, segs, width), 1e-5, 1e-5);
          }),
          { numRuns: 25 },
        );
      });

      it(`${kind} has a correct gradient (finite differences) on ${backend}`, async () => {
        await initBackend({ backend });
        const ids = tf.tensor1d([2, 0, 2, -1, 0, 2, 1], 'int32');
        const w = tf.tensor2d(floats(4 * 3, 7), [4, 3]);
        // Distinct values, so max has no ties and finite differences are valid.
        const x = tf.tensor2d(floats(7 * 3, 8), [7, 3]);
        checkGradient((v) => tf.sum(tf.mul(tf.sin(OPS[kind](v as tf.Tensor2D, ids, 4)), w)), x, { eps: 1e-3 });
        tf.dispose([ids, w, x]);
      });
    }

    it(`UnsortedSegmentSum override matches stock cpu on ${backend}`, async () => {
      const xv = floats(50 * 6, 3);
      const ids = Array.from(ints(50, 9, 4));
      const expected = await onStockCpu(() => tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(xv, [50, 6]), tf.tensor1d(ids, 'int32'), 11).dataSync()));
      await initBackend({ backend });
      const got = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(xv, [50, 6]), tf.tensor1d(ids, 'int32'), 11).dataSync());
      expectClose(got, expected, 1e-6, 1e-6);
      // Higher-rank data with 1-D ids: the trailing dims are one row.
      const got3 = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor3d(xv, [50, 3, 2]), tf.tensor1d(ids, 'int32'), 11).dataSync());
      expectClose(got3, expected, 1e-6, 1e-6);
    });

    it(`max splits the gradient between ties on ${backend}`, async () => {
      await initBackend({ backend });
      const x = tf.tensor2d([1, 5, 3, 5, 3, 0], [3, 2]);
      const ids = tf.tensor1d([0, 0, 0], 'int32');
      expect(Array.from(segmentMax(x, ids, 1).dataSync())).toEqual([3, 5]);
      const g = tf.grad((v: tf.Tensor) => tf.sum(segmentMax(v as tf.Tensor2D, ids, 1)))(x);
      expect(Array.from(g.dataSync())).toEqual([0, 0.5, 0.5, 0.5, 0.5, 0]);
    });

    it(`rejects ids >= numSegments with a typed error on ${backend}`, async () => {
      await initBackend({ backend });
      const x = tf.ones([2, 2]) as tf.Tensor2D;
      const ids = tf.tensor1d([0, 2], 'int32');
      for (const op of Object.values(OPS)) expect(() => op(x, ids, 2)).toThrow(IndexOutOfRangeError);
    });
  }

  it('validates arguments', async () => {
    await initBackend({ backend: 'wasm' });
    const x = tf.ones([3, 2]) as tf.Tensor2D;
    expect(() => segmentSum(x, tf.tensor1d([0, 1], 'int32'), 2)).toThrow(InvalidTensorArgumentError);
    expect(() => segmentSum(x, tf.tensor1d([0, 1, 1], 'float32'), 2)).toThrow(/int32/);
    expect(() => segmentMean(x, tf.tensor1d([0, 1, 1], 'int32'), 1.5)).toThrow(/non-negative integer/);
  });
});
