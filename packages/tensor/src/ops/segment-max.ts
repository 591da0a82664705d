import * as tf from '@tensorflow/tfjs-core';
import { IndexOutOfRangeError } from '../errors';
import { gatherRows } from './gather-rows';
import { segmentSum } from './segment-sum';
import { expectSegments } from './validate';

/** Host-side forward: one pass over the rows. tfjs has no UnsortedSegmentMax kernel on any backend. */
function segmentMaxValues(x: Float32Array, ids: Int32Array, numSegments: number, width: number): Float32Array {
  const out = new Float32Array(numSegments * width).fill(-Infinity);
  const seen = new Uint8Array(numSegments);
  for (let e = 0; e < ids.length; e++) {
    const s = ids[e]!;
    if (s < 0) continue;
    if (s >= numSegments) {
      throw new IndexOutOfRangeError(`segmentMax: segment id ${s} at position ${e} is >= numSegments ${numSegments}; raise numSegments or fix the ids`);
    }
    seen[s] = 1;
    const o = s * width;
    const i = e * width;
    for (let d = 0; d < width; d++) {
      const v = x[i + d]!;
      // NaN propagates, as in TensorFlow's segment max.
      if (v > out[o + d]! || Number.isNaN(v)) out[o + d] = v;
    }
  }
  for (let s = 0; s < numSegments; s++) if (seen[s] === 0) out.fill(0, s * width, (s + 1) * width);
  return out;
}

/**
 * Per-segment, per-column maximum of the rows of x; empty segments are 0.
 * Differentiable in x: the gradient goes to the rows that attain the maximum,
 * split equally between ties (TensorFlow's convention).
 */
export function segmentMax(x: tf.Tensor2D, segIds: tf.Tensor1D, numSegments: number): tf.Tensor2D {
  expectSegments('segmentMax', x, segIds, numSegments);
  const width = x.shape[1];
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xv = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const xf = tf.cast(xv, 'float32');
    const values = segmentMaxValues(xf.dataSync() as Float32Array, segIds.dataSync() as Int32Array, numSegments, width);
    xf.dispose();
    const out = tf.tensor2d(values, [numSegments, width], 'float32');
    save([xv, out, segIds]);
    return {
      value: out,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [xs, ys, sids] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
          const keep = tf.greaterEqual(sids, 0);
          const ids = tf.where(keep, sids, tf.zerosLike(sids)) as tf.Tensor1D;
          const rowMask = tf.expandDims(tf.cast(keep, 'float32'), 1);
          const isMax = tf.mul(tf.cast(tf.equal(xs, gatherRows(ys, ids)), 'float32'), rowMask) as tf.Tensor2D;
          const ties = segmentSum(isMax, ids, numSegments);
          const share = tf.div(dy, tf.maximum(ties, 1)) as tf.Tensor2D;
          return tf.mul(gatherRows(share, ids), isMax);
        }),
    };
  });
  return f(x) as tf.Tensor2D;
}
