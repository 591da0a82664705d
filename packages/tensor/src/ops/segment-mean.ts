import * as tf from '@tensorflow/tfjs-core';
import { segmentSum } from './segment-sum';
import { expectSegments } from './validate';

/**
 * Per-segment mean of the rows of x; empty segments are 0. Differentiable in x
 * (through segmentSum and a division by the constant segment sizes).
 */
export function segmentMean(x: tf.Tensor2D, segIds: tf.Tensor1D, numSegments: number): tf.Tensor2D {
  expectSegments('segmentMean', x, segIds, numSegments);
  return tf.tidy(() => {
    const counts = tf.unsortedSegmentSum(tf.ones([segIds.shape[0]], 'float32'), segIds, numSegments);
    const denom = tf.reshape(tf.maximum(counts, 1), [numSegments, 1]);
    return tf.div(segmentSum(x, segIds, numSegments), denom) as tf.Tensor2D;
  });
}
