/**
 * NegGrad+ (Kurmanji et al. 2023, SCRUB's baseline): descent on D_r and
 * ascent on D_f in the same step, loss = α·CE(D_r) − (1 − α)·CE(D_f). The
 * retain term keeps the ascent from wrecking the rest of the model, and the
 * ascent stops once the forget batches are forgotten (see ascent-stop.ts).
 */
import { tf } from '@metanet/tensor';
import { optimize } from '../loop';
import { crossEntropyLoss, rowsOf } from '../losses';
import { defineMethod } from '../define-method';
import { ASCENT_STOP_DEFAULTS, ascentStop, type AscentStopHyperparameters } from '../ascent-stop';

/** Hyperparameters of NegGrad+. */
export type NegGradPlusHyperparameters = AscentStopHyperparameters & {
  /** Passes over D_f (each step also draws a retain batch). */
  epochs: number;
  /** Per source: a step sees batchSize forget and batchSize retain samples. */
  batchSize: number;
  lr: number;
  momentum: number;
  /** Weight α of the retain term. */
  alpha: number;
  /** Gradient ℓ2 norm clip (0 = none). */
  clipNorm: number;
};

/** NegGrad+: descent on the retain set plus weighted ascent on the forget set. */
export const neggradPlus = defineMethod<NegGradPlusHyperparameters>({
  name: 'neggrad-plus',
  description: 'descent on the retain set plus weighted ascent on the forget set',
  defaults: { epochs: 2, batchSize: 64, lr: 0.01, momentum: 0.9, alpha: 0.9, clipNorm: 5, ...ASCENT_STOP_DEFAULTS },
  unlearn(input, hp) {
    const stop = ascentStop('neggrad-plus', hp);
    const r = optimize({
      model: input.model,
      sources: { forget: { data: input.forget, batchSize: hp.batchSize }, retain: { data: input.retain, batchSize: hp.batchSize } },
      epochs: hp.epochs,
      epochSource: 'forget',
      loss: (out, batch) => {
        const f = batch.parts.forget as { start: number; size: number };
        const rt = batch.parts.retain as { start: number; size: number };
        const ceR = crossEntropyLoss(rowsOf(out.output, rt.start, rt.size), rowsOf(batch.y, rt.start, rt.size) as tf.Tensor1D);
        const logitsF = rowsOf(out.output, f.start, f.size) as tf.Tensor2D;
        const yF = rowsOf(batch.y, f.start, f.size) as tf.Tensor1D;
        stop.observe(logitsF, yF);
        const ceF = crossEntropyLoss(logitsF, yF);
        return tf.sub(tf.mul(ceR, hp.alpha), tf.mul(ceF, 1 - hp.alpha));
      },
      lr: hp.lr,
      optimizer: 'sgd',
      momentum: hp.momentum,
      clipNorm: hp.clipNorm > 0 ? hp.clipNorm : undefined,
      seed: input.seed,
      label: 'neggrad-plus',
      onStep: stop.onStep,
      onProgress: input.onProgress,
    });
    return { model: r.model, steps: r.steps };
  },
});
