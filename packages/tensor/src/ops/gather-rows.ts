import * as tf from '@tensorflow/tfjs-core';
import { expectInt32, expectRank } from './validate';

/**
 * Rows of `x` picked by `idx` (out[i] = x[idx[i]]). Differentiable in x: the
 * gradient is the segment sum of dy over idx into x's rows, which the fast
 * UnsortedSegmentSum kernel computes in one pass.
 */
export function gatherRows(x: tf.Tensor2D, idx: tf.Tensor1D): tf.Tensor2D {
  expectRank('gatherRows', x, 2, 'x');
  expectRank('gatherRows', idx, 1, 'idx');
  expectInt32('gatherRows', idx, 'idx');
  const numRows = x.shape[0];
  // customGrad keeps the backward pass to one kernel: tfjs's stock Gather gradient
  // adds a mask, a where and a cast around its segment sum.
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xv = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    // idx is saved, not captured: a caller's tidy may dispose it before backprop.
    save([idx]);
    return {
      value: tf.gather(xv, idx, 0),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.unsortedSegmentSum(dy, saved[0] as tf.Tensor1D, numRows),
    };
  });
  return f(x) as tf.Tensor2D;
}
