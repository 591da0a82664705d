import { segmentMax, segmentMean, segmentSum, tf } from '@metanet/tensor';
import type { Aggregation } from './options';

/** Pools rows into segments (PyG's `aggregate`); empty segments give 0 for every aggregation. */
export function aggregate(x: tf.Tensor2D, segIds: tf.Tensor1D, numSegments: number, how: Aggregation): tf.Tensor2D {
  if (how === 'sum') return segmentSum(x, segIds, numSegments);
  if (how === 'mean') return segmentMean(x, segIds, numSegments);
  return segmentMax(x, segIds, numSegments);
}

/**
 * A per-segment sum (e.g. accumulated over edge chunks) as the given aggregation: itself for
 * 'sum', divided by the segment's row count for 'mean' (empty segments give 0, as
 * segmentMean). 'max' does not decompose into sums.
 */
export function aggregateFromSum(sum: tf.Tensor2D, counts: tf.Tensor2D, how: Aggregation): tf.Tensor2D {
  if (how === 'sum') return sum;
  if (how === 'mean') return tf.div(sum, tf.maximum(counts, 1)) as tf.Tensor2D;
  throw new Error('max aggregation does not decompose into sums');
}
