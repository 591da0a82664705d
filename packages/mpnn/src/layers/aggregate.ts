import { segmentMax, segmentMean, segmentSum, type tf } from '@metanet/tensor';
import type { Aggregation } from './options';

/** Pools rows into segments (PyG's `aggregate`); empty segments give 0 for every aggregation. */
export function aggregate(x: tf.Tensor2D, segIds: tf.Tensor1D, numSegments: number, how: Aggregation): tf.Tensor2D {
  if (how === 'sum') return segmentSum(x, segIds, numSegments);
  if (how === 'mean') return segmentMean(x, segIds, numSegments);
  return segmentMax(x, segIds, numSegments);
}
