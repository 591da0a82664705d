import { tf } from '@metanet/tensor';
import type { GroupNormLayer } from '@metanet/spec';
import type { LayerForward } from '../context';

/**
 * GroupNorm over the last (channel) axis, as torch.nn.GroupNorm: per example, each run of
 * C / groups consecutive channels is normalised over its channels and every position, with
 * the biased variance. x is [N, C] or [N, H, W, C].
 */
export function groupNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, groups: number, eps: number): tf.Tensor {
  const n = x.shape[0] as number;
  const c = x.shape[x.rank - 1] as number;
  const g = tf.reshape(x, [n, -1, groups, c / groups]);
  const { mean, variance } = tf.moments(g, [1, 3], true);
  const y = tf.reshape(tf.div(tf.sub(g, mean), tf.sqrt(tf.add(variance, eps))), x.shape);
  return tf.add(tf.mul(y, gamma), beta);
}

export const groupnorm: LayerForward<GroupNormLayer> = (layer, x, ctx) => groupNorm(x, ctx.param('weight'), ctx.param('bias'), layer.groups, layer.eps ?? 1e-5);
