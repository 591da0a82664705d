import { tf } from '@metanet/tensor';
import type { LayerNormLayer } from '@metanet/spec';
import type { LayerForward } from '../context';

/** LayerNorm over the last axis (torch.nn.LayerNorm(D)). */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, [x.rank - 1], true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta);
}

export const layernorm: LayerForward<LayerNormLayer> = (layer, x, ctx) => layerNorm(x, ctx.param('weight'), ctx.param('bias'), layer.eps ?? 1e-5);
