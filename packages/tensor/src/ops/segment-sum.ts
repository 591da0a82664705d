import * as tf from '@tensorflow/tfjs-core';
import { expectSegments } from './validate';

/**
 * out[s] = Σ_{e: segIds[e] = s} x[e]; empty segments are 0, negative ids are dropped.
 * Differentiable in x: the gradient is gatherRows(dy, segIds) (0 for dropped rows).
 */
export function segmentSum(x: tf.Tensor2D, segIds: tf.Tensor1D, numSegments: number): tf.Tensor2D {
  expectSegments('segmentSum', x, segIds, numSegments);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xv = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    // segIds is saved, not captured: a caller's tidy may dispose it before backprop.
    save([segIds]);
    return {
      value: tf.unsortedSegmentSum(xv, segIds, numSegments),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => gatherDroppingNegatives(dy, saved[0] as tf.Tensor1D),
    };
  });
  return f(x) as tf.Tensor2D;
}

/** Gathers rows of dy by ids; rows with a negative id (dropped in the forward pass) get 0. */
function gatherDroppingNegatives(dy: tf.Tensor, ids: tf.Tensor1D): tf.Tensor {
  return tf.tidy(() => {
    if (ids.size === 0 || tf.min(ids).dataSync()[0]! >= 0) return tf.gather(dy, ids, 0);
    const keep = tf.greaterEqual(ids, 0);
    const safe = tf.where(keep, ids, tf.zerosLike(ids));
    return tf.mul(tf.gather(dy, safe, 0), tf.expandDims(tf.cast(keep, dy.dtype), 1));
  });
}
