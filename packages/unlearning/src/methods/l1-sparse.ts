/**
 * ℓ1-sparse (Jia et al. 2023, "Model sparsity can simplify machine
 * unlearning"): fine-tune on D_r with an ℓ1 penalty γ_t·Σ|w| whose weight
 * decays linearly from γ to 0 over the run, pushing the model toward a sparse
 * solution that drops what only D_f supported.
 */
import { tf } from '@metanet/tensor';
import { datasetSize } from '@metanet/data';
import { optimize } from '../loop';
import { crossEntropyLoss, l1Norm } from '../losses';
import { defineMethod } from '../define-method';

/** Hyperparameters of ℓ1-sparse fine-tuning. */
export type L1SparseHyperparameters = {
  /** Passes over D_r. */
  epochs: number;
  batchSize: number;
  lr: number;
  momentum: number;
  /** Initial ℓ1 weight γ (decays linearly to 0). */
  gamma: number;
};

/** ℓ1-sparse: fine-tunes on the retain set with a decaying ℓ1 penalty on the weights. */
export const l1Sparse = defineMethod<L1SparseHyperparameters>({
  name: 'l1-sparse',
  description: 'fine-tune on the retain set with a decaying l1 penalty',
  defaults: { epochs: 1, batchSize: 64, lr: 0.01, momentum: 0.9, gamma: 5e-5 },
  needsForget: false,
  unlearn(input, hp) {
    const total = Math.round(hp.epochs * Math.ceil(datasetSize(input.retain) / hp.batchSize));
    const r = optimize({
      model: input.model,
      sources: { retain: { data: input.retain, batchSize: hp.batchSize } },
      steps: total,
      loss: (out, batch, ctx) => {
        const gamma = hp.gamma * (1 - (ctx.step - 1) / Math.max(1, total));
        return tf.add(crossEntropyLoss(out.output, batch.y), tf.mul(l1Norm(ctx.params), gamma)) as tf.Scalar;
      },
      lr: hp.lr,
      optimizer: 'sgd',
      momentum: hp.momentum,
      seed: input.seed,
      label: 'l1-sparse',
      onProgress: input.onProgress,
    });
    return { model: r.model, steps: r.steps };
  },
});
