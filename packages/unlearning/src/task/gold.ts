/**
 * Gold for a task request: the same architecture trained from a fresh
 * initialisation on the other heads alone. The forgotten head's loss weight is
 * 0, so its rows never move from their initialisation (they get no gradient):
 * gold's forgotten head is an untrained linear read-out of a trunk that never
 * saw the task. The recipe is the original's (Adam 1e-3, batch 64) through
 * @metanet/nets' `train`, so gold and original come from one code path.
 */
import { findHead } from '@metanet/spec';
import { initParams, train } from '@metanet/nets';
import { datasetSize, type Dataset } from '@metanet/data';
import { tf } from '@metanet/tensor';
import type { NetSpec } from '@metanet/spec';
import type { TrainedNet } from '../types';

/** The training recipe of a task gold (and of the original it is compared with). */
export interface TaskTrainOptions {
  /** Default 3. */
  epochs?: number;
  /** Default 64. */
  batchSize?: number;
  /** Default 1e-3 (Adam). */
  lr?: number;
  /** Seeds the initialisation and the shuffles. Default 0. */
  seed?: number;
  /** Called after each step: steps done of the total. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Trains `spec` on `trainSet` with every head, or, given `forgetHead`, with
 * every head but that one (loss weight 0): the task request's gold.
 */
export async function trainTaskNet(spec: NetSpec, trainSet: Dataset, forgetHead: string | null, opts: TaskTrainOptions = {}): Promise<TrainedNet> {
  if (forgetHead !== null) findHead(spec, forgetHead);
  const epochs = opts.epochs ?? 3;
  const batchSize = opts.batchSize ?? 64;
  const seed = opts.seed ?? 0;
  const init = initParams(spec, { seed });
  const total = epochs * Math.ceil(datasetSize(trainSet) / batchSize);
  let done = 0;
  try {
    const r = await train(spec, init, trainSet, {
      epochs,
      batchSize,
      lr: opts.lr ?? 1e-3,
      seed,
      headWeights: forgetHead === null ? undefined : { [forgetHead]: 0 },
      onBatch: () => opts.onProgress?.(++done, total),
    });
    return { spec, params: r.params, buffers: r.buffers };
  } finally {
    tf.dispose(init);
  }
}
