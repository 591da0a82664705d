/** Activations are NHWC; weights arrive in PyTorch layout and are transposed here, so gradients flow back into that layout. */
import { tf } from '@metanet/tensor';
import { convGeometry, type Conv2dLayer } from '@metanet/spec';
import { conv2dFastGrad, fastGradApplies } from '../conv_grad';
import type { LayerForward } from '../context';

/** PyTorch (out, in, kh, kw) → tfjs filter (kh, kw, in, out). */
export function toTfFilter(w: tf.Tensor): tf.Tensor4D {
  return tf.transpose(w, [2, 3, 1, 0]) as tf.Tensor4D;
}

export function conv(
  x: tf.Tensor4D,
  w: tf.Tensor,
  b: tf.Tensor | undefined,
  stride: [number, number],
  padding: 'same' | number,
): tf.Tensor4D {
  const kh = w.shape[2] as number;
  const kw = w.shape[3] as number;
  let y =
    typeof padding === 'number' && fastGradApplies(kh, kw, stride, padding)
      ? conv2dFastGrad(x, toTfFilter(w), stride, padding)
      : tf.conv2d(x, toTfFilter(w), stride, padding === 0 ? 'valid' : padding);
  if (b) y = tf.add(y, b);
  return y;
}

export const conv2d: LayerForward<Conv2dLayer> = (layer, x, ctx) => {
  const g = convGeometry(layer);
  return conv(x as tf.Tensor4D, ctx.param('weight'), ctx.optionalParam('bias'), [g.sh, g.sw], g.padding);
};
