import { segmentMax, segmentMean, segmentSum, tf } from '@metanet/tensor';
import type { Aggregation } from './options';

/** Pools rows into segments (PyG's `aggregate`); empty segments give 0 for every aggregation. */
export function aggregate(x: tf.Tensor2D, segIds: tf.Tensor1D, numSegments: number, how: Aggregation): tf.Tensor2D {
  if (how === 'sum') return segmentSum(x, segIds, numSegments);
  if (how === 'mean') return segmentMean(x, segIds, numSegments);
  return segmentMax(x, segIds, numSegments);
}

/**
 * The part of an aggregation that can be taken over any part of the rows: the per-segment sum
 * for 'sum' and 'mean' (sums over disjoint parts add up, which is what edge chunks rely on),
 * the maximum for 'max'. `aggregateFromPool` finishes it.
 */
export function segmentPool(x: tf.Tensor2D, segIds: tf.Tensor1D, numSegments: number, how: Aggregation): tf.Tensor2D {
  return how === 'max' ? segmentMax(x, segIds, numSegments) : segmentSum(x, segIds, numSegments);
}

/**
 * The aggregation from its `segmentPool` over all the rows: 'mean' divides by each segment's
 * row count (empty segments give 0, as segmentMean); for 'sum' and 'max' the pool is the
 * aggregate.
 */
export function aggregateFromPool(pool: tf.Tensor2D, counts: tf.Tensor2D, how: Aggregation): tf.Tensor2D {
  return how === 'mean' ? (tf.div(pool, tf.maximum(counts, 1)) as tf.Tensor2D) : pool;
}
