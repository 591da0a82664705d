/**
 * GA (gradient ascent, Thudi et al. 2022): maximise the cross-entropy on D_f.
 * Unbounded by nature, so the defaults are few, small, clipped steps, and the
 * ascent stops once the forget batches are forgotten (see ascent-stop.ts); the
 * loop stops with NonFiniteLossError if the logits still blow up.
 */
import { tf } from '@metanet/tensor';
import { optimize } from '../loop';
import { crossEntropyLoss } from '../losses';
import { defineMethod } from '../define-method';
import { ASCENT_STOP_DEFAULTS, ascentStop, type AscentStopHyperparameters } from '../ascent-stop';

/** Hyperparameters of gradient ascent. */
export type GaHyperparameters = AscentStopHyperparameters & {
  /** Passes over D_f. */
  epochs: number;
  batchSize: number;
  lr: number;
  momentum: number;
  /** Gradient ℓ2 norm clip (0 = none). */
  clipNorm: number;
};

/** Gradient ascent (GA) on the forget set. */
export const ga = defineMethod<GaHyperparameters>({
  name: 'ga',
  description: 'gradient ascent on the forget set',
  defaults: { epochs: 1, batchSize: 64, lr: 2e-3, momentum: 0.9, clipNorm: 5, ...ASCENT_STOP_DEFAULTS },
  unlearn(input, hp) {
    const stop = ascentStop('ga', hp);
    const r = optimize({
      model: input.model,
      sources: { forget: { data: input.forget, batchSize: hp.batchSize } },
      epochs: hp.epochs,
      loss: (out, batch) => {
        stop.observe(out.output as tf.Tensor2D, batch.y);
        return tf.neg(crossEntropyLoss(out.output, batch.y));
      },
      onStep: stop.onStep,
      lr: hp.lr,
      optimizer: 'sgd',
      momentum: hp.momentum,
      clipNorm: hp.clipNorm > 0 ? hp.clipNorm : undefined,
      seed: input.seed,
      label: 'ga',
      onProgress: input.onProgress,
    });
    return { model: r.model, steps: r.steps };
  },
});
