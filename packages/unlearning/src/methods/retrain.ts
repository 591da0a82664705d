/**
 * Retrain (the gold standard of exact unlearning): a fresh initialisation
 * trained on D_r alone with the recipe of the original (the homework protocol's Adam
 * 1e-3, batch 64), through @metanet/nets' `train`, so gold and original come
 * from the same code path.
 */
import { initParams, train } from '@metanet/nets';
import { datasetSize } from '@metanet/data';
import { tf } from '@metanet/tensor';
import { defineMethod } from '../define-method';

/** Hyperparameters of retraining (the original's recipe). */
export type RetrainHyperparameters = {
  /** Passes over D_r. */
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: string;
  weightDecay: number;
  /** SGD momentum (the original's, for nets trained with it). */
  momentum: number;
};

/** Retrain: the gold standard, a fresh init trained on the retain set with the original recipe. */
export const retrain = defineMethod<RetrainHyperparameters>({
  name: 'retrain',
  description: 'gold standard: fresh init trained on the retain set with the original recipe',
  defaults: { epochs: 5, batchSize: 64, lr: 1e-3, optimizer: 'adam', weightDecay: 0, momentum: 0 },
  choices: { optimizer: ['adam', 'sgd'] },
  needsForget: false,
  async unlearn(input, hp) {
    const { spec } = input.model;
    const init = initParams(spec, { seed: input.seed });
    const steps = hp.epochs * Math.ceil(datasetSize(input.retain) / hp.batchSize);
    let done = 0;
    try {
      const r = await train(spec, init, input.retain, {
        epochs: hp.epochs,
        batchSize: hp.batchSize,
        lr: hp.lr,
        optimizer: hp.optimizer as 'adam' | 'sgd',
        weightDecay: hp.weightDecay,
        momentum: hp.momentum,
        seed: input.seed,
        onBatch: () => input.onProgress?.(++done, steps),
      });
      return { model: { spec, params: r.params, buffers: r.buffers }, steps };
    } finally {
      tf.dispose(init);
    }
  },
});
