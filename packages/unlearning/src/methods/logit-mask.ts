/**
 * logit-mask: pure filtering, a named baseline that is *not* unlearning. It
 * adds a huge negative bias to the forgotten classes' output logits, so forget
 * accuracy is 0 while every feature stays; probe recoverability and relearn
 * time expose it. Weights only, no training.
 */
import { tf } from '@metanet/tensor';
import { paramInfos } from '@metanet/spec';
import { InvalidRequestError, NetDatasetMismatchError } from '../errors';
import { defineMethod } from '../define-method';

/** Hyperparameters of logit-mask. */
export type LogitMaskHyperparameters = {
  /** Added to each forgotten class's output bias. */
  bias: number;
};

/** Logit-mask: the filtering baseline, −1e4 on the forgotten classes' output bias (no training). */
export const logitMask = defineMethod<LogitMaskHyperparameters>({
  name: 'logit-mask',
  description: 'filtering baseline: -1e4 on the forgotten classes\' output bias (no training)',
  defaults: { bias: -1e4 },
  needsForget: false,
  unlearn(input, hp) {
    const classes = input.forgetClasses ?? [];
    if (classes.length === 0) throw new InvalidRequestError('logit-mask needs a class-wise request (forgetClasses); use --forget-class');
    const { spec } = input.model;
    const infos = paramInfos(spec);
    const lastLayer = spec.layers.length - 1;
    const k = infos.findIndex((p) => p.kind === 'bias' && p.layerIndex === lastLayer && spec.layers[lastLayer]?.type === 'dense');
    if (k < 0) throw new NetDatasetMismatchError(`${spec.name ?? 'the net'} does not end in a dense layer with a bias; logit-mask edits that bias`);
    const params = input.model.params.map((p, j) => {
      if (j !== k) return tf.clone(p);
      const delta = new Float32Array(p.size);
      for (const c of classes) delta[c] = hp.bias;
      return tf.tidy(() => tf.add(p, tf.tensor1d(delta)));
    });
    return { model: { spec, params, buffers: input.model.buffers.map((b) => tf.clone(b)) }, steps: 0 };
  },
});
