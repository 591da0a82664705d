import { tf } from '@metanet/tensor';
import type { AttentionLayer } from '@metanet/spec';
import type { LayerForward } from '../context';
import { linear } from './dense';

export interface AttentionParams {
  wq: tf.Tensor;
  wk: tf.Tensor;
  wv: tf.Tensor;
  wo: tf.Tensor;
  bq?: tf.Tensor | undefined;
  bk?: tf.Tensor | undefined;
  bv?: tf.Tensor | undefined;
  bo?: tf.Tensor | undefined;
}

/** Multi-head self-attention on (N, T, D), scaled dot product, no mask. */
export function selfAttention(x: tf.Tensor, heads: number, p: AttentionParams): tf.Tensor {
  const [n, t, d] = x.shape as [number, number, number];
  const dh = d / heads;
  const split = (z: tf.Tensor): tf.Tensor => tf.transpose(tf.reshape(z, [n, t, heads, dh]), [0, 2, 1, 3]);
  const q = split(linear(x, p.wq, p.bq));
  const k = split(linear(x, p.wk, p.bk));
  const v = split(linear(x, p.wv, p.bv));
  const scores = tf.div(tf.matMul(q as tf.Tensor4D, k as tf.Tensor4D, false, true), Math.sqrt(dh));
  const ctx = tf.matMul(tf.softmax(scores), v as tf.Tensor4D);
  const merged = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [n, t, d]);
  return linear(merged, p.wo, p.bo);
}

export const attention: LayerForward<AttentionLayer> = (layer, x, ctx) =>
  selfAttention(x, layer.heads, {
    wq: ctx.param('q_proj.weight'),
    wk: ctx.param('k_proj.weight'),
    wv: ctx.param('v_proj.weight'),
    wo: ctx.param('out_proj.weight'),
    bq: ctx.optionalParam('q_proj.bias'),
    bk: ctx.optionalParam('k_proj.bias'),
    bv: ctx.optionalParam('v_proj.bias'),
    bo: ctx.optionalParam('out_proj.bias'),
  });
