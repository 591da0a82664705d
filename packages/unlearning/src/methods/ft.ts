/**
 * FT (fine-tuning): continue training on D_r only, relying on catastrophic
 * forgetting to erase D_f (Warnecke et al. 2023; SalUn's FT baseline).
 */
import { optimize } from '../loop';
import { crossEntropyLoss } from '../losses';
import { defineMethod } from '../define-method';

/** Hyperparameters of fine-tuning. */
export type FtHyperparameters = {
  /** Passes over D_r. */
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: string;
  momentum: number;
  weightDecay: number;
};

/** Fine-tuning (FT): trains on the retain set only. */
export const ft = defineMethod<FtHyperparameters>({
  name: 'ft',
  description: 'fine-tune on the retain set',
  defaults: { epochs: 1, batchSize: 64, lr: 0.01, optimizer: 'sgd', momentum: 0.9, weightDecay: 5e-4 },
  choices: { optimizer: ['adam', 'sgd'] },
  needsForget: false,
  unlearn(input, hp) {
    const r = optimize({
      model: input.model,
      sources: { retain: { data: input.retain, batchSize: hp.batchSize } },
      epochs: hp.epochs,
      loss: (out, batch) => crossEntropyLoss(out.output, batch.y),
      lr: hp.lr,
      optimizer: hp.optimizer as 'adam' | 'sgd',
      momentum: hp.momentum,
      weightDecay: hp.weightDecay,
      seed: input.seed,
      label: 'ft',
      onProgress: input.onProgress,
    });
    return { model: r.model, steps: r.steps };
  },
});
