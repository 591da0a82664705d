/** Activations are NHWC; weights arrive in PyTorch layout and are transposed here, so gradients flow back into that layout. */
import { tf } from '@metanet/tensor';
import { convGeometry, type Conv2dLayer } from '@metanet/spec';
import type { LayerForward } from '../context';

/** PyTorch (out, in, kh, kw) → tfjs filter (kh, kw, in, out). */
export function toTfFilter(w: tf.Tensor): tf.Tensor4D {
  return tf.transpose(w, [2, 3, 1, 0]) as tf.Tensor4D;
}

type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];

/**
 * tfjs's padding for a conv layer's: explicit pads for a number, since tfjs sizes
 * the output width of a numeric padding from the filter height and the height stride.
 */
export function explicitPad(padding: 'same' | number): 'same' | ExplicitPad {
  return typeof padding === 'number' ? [[0, 0], [padding, padding], [padding, padding], [0, 0]] : padding;
}

export function conv(
  x: tf.Tensor4D,
  w: tf.Tensor,
  b: tf.Tensor | undefined,
  stride: [number, number],
  padding: 'same' | number,
): tf.Tensor4D {
  // On wasm the conv and both gradients run on @metanet/tensor's compiled kernels.
  // The bias is a separate add, not tf.fused.conv2d: that op's gradient always
  // computes dx, which the first layer does not need (about 10 ms of a
  // homework-cnn step). A conv followed by ReLU runs fused (../fusion.ts).
  let y = tf.conv2d(x, toTfFilter(w), stride, explicitPad(padding));
  if (b) y = tf.add(y, b);
  return y;
}

export const conv2d: LayerForward<Conv2dLayer> = (layer, x, ctx) => {
  const g = convGeometry(layer);
  return conv(x as tf.Tensor4D, ctx.param('weight'), ctx.optionalParam('bias'), [g.sh, g.sw], g.padding);
};

