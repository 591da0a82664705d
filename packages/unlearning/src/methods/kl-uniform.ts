/**
 * KL-uniform (the homework protocol's method): minimise KL(target ‖ softmax(f(x)))
 * where the target is uniform for samples of a forgotten class (every D_f
 * sample when the request is not class-wise) and one-hot elsewhere. Trained on
 * D_f; with `retainBatchSize` > 0 each step also rehearses that many D_r
 * samples under their one-hot targets.
 */
import { tf } from '@metanet/tensor';
import { labelsOf } from '@metanet/data';
import { optimize, type BatchSource } from '../loop';
import { klToTargetLoss } from '../losses';
import { defineMethod } from '../define-method';

/** Hyperparameters of KL-uniform. */
export type KlUniformHyperparameters = {
  /** Passes over D_f. */
  epochs: number;
  batchSize: number;
  /** Retain samples rehearsed per step (0 = the homework protocol's D_f-only training). */
  retainBatchSize: number;
  lr: number;
  optimizer: string;
};

/** KL-uniform: KL to a uniform target on the forgotten class(es), one-hot elsewhere. */
export const klUniform = defineMethod<KlUniformHyperparameters>({
  name: 'kl-uniform',
  relabelsForget: true,
  description: 'KL to a uniform target on the forgotten class(es), one-hot elsewhere',
  defaults: { epochs: 2, batchSize: 64, retainBatchSize: 64, lr: 0.01, optimizer: 'sgd' },
  choices: { optimizer: ['adam', 'sgd'] },
  unlearn(input, hp) {
    const k = input.numClasses;
    const classes = new Set(input.forgetClasses ?? []);
    // Host-side per-sample flag: uniform target for forgotten samples.
    const forgetLabels = labelsOf(input.forget);
    const sources: Record<string, BatchSource> = { forget: { data: input.forget, batchSize: hp.batchSize } };
    if (hp.retainBatchSize > 0) sources.retain = { data: input.retain, batchSize: hp.retainBatchSize };
    const r = optimize({
      model: input.model,
      sources,
      epochs: hp.epochs,
      epochSource: 'forget',
      loss: (out, batch) => {
        const f = batch.parts.forget as { size: number; indices: Int32Array };
        const n = batch.y.shape[0];
        const uniform = new Float32Array(n);
        for (let i = 0; i < f.size; i++) {
          const y = forgetLabels[f.indices[i] as number] as number;
          uniform[i] = classes.size === 0 || classes.has(y) ? 1 : 0;
        }
        const u = tf.tensor2d(uniform, [n, 1]);
        const target = tf.add(tf.mul(u, 1 / k), tf.mul(tf.sub(1, u), tf.oneHot(batch.y, k)));
        return klToTargetLoss(out.output, target);
      },
      lr: hp.lr,
      optimizer: hp.optimizer as 'adam' | 'sgd',
      seed: input.seed,
      label: 'kl-uniform',
      onProgress: input.onProgress,
    });
    return { model: r.model, steps: r.steps };
  },
});
