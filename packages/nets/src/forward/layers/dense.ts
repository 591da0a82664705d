import { tf } from '@metanet/tensor';
import type { DenseLayer } from '@metanet/spec';
import type { LayerForward } from '../context';

/** x (..., in) · Wᵀ + b with W (out, in), as torch.nn.Linear. */
export function linear(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor | undefined): tf.Tensor {
  const inDim = x.shape[x.rank - 1] as number;
  const lead = x.shape.slice(0, -1);
  const x2 = x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, inDim]) as tf.Tensor2D;
  let y: tf.Tensor = tf.matMul(x2, w as tf.Tensor2D, false, true);
  if (b) y = tf.add(y, b);
  return x.rank === 2 ? y : tf.reshape(y, [...lead, w.shape[0] as number]);
}

export const dense: LayerForward<DenseLayer> = (_layer, x, ctx) => linear(x, ctx.param('weight'), ctx.optionalParam('bias'));
