/**
 * conv2d with a hand-written input gradient. tfjs's wasm backend computes
 * Conv2DBackpropInput with a slow generic loop (measured ≈ 8× the forward conv
 * on homework-cnn). The input gradient is itself a stride-1 correlation of dy,
 * dilated by the stride, with the 180°-rotated, in/out-swapped filter, padded
 * k − 1 − p before and H + p − L after (L = dilated length) — so it runs on the
 * fast forward Conv2D kernel. The filter gradient still goes to the backend's
 * Conv2DBackpropFilter kernel.
 */
import { tf } from '@metanet/tensor';

/** True when `conv2dFastGrad` applies: symmetric padding 0 ≤ p ≤ k − 1 on both axes (any stride). */
export function fastGradApplies(kh: number, kw: number, _stride: [number, number], pad: number): boolean {
  return pad <= kh - 1 && pad <= kw - 1;
}

/** Inserts s − 1 zeros between the rows/columns of dy: (N, Ho, Wo, C) → (N, (Ho−1)·sh + 1, (Wo−1)·sw + 1, C). */
function dilate(dy: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return dy;
  const [n, ho, wo, c] = dy.shape;
  const spread = tf.pad(tf.reshape(dy, [n, ho, 1, wo, 1, c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  return tf.slice(tf.reshape(spread, [n, ho * sh, wo * sw, c]), [0, 0, 0, 0], [n, (ho - 1) * sh + 1, (wo - 1) * sw + 1, c]) as tf.Tensor4D;
}

type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];

const explicit = (ph: number, pw: number): ExplicitPad => [[0, 0], [ph, ph], [pw, pw], [0, 0]];

/** y = conv2d(x, f, stride, pad) with f in tfjs layout (kh, kw, in, out); gradients for both x and f. */
export function conv2dFastGrad(x: tf.Tensor4D, f: tf.Tensor4D, stride: [number, number], pad: number): tf.Tensor4D {
  const [kh, kw] = f.shape;
  const [sh, sw] = stride;
  const [, h, w] = x.shape;
  // tfjs types the variadic customGrad args as (Tensor | GradSaveFunc)[].
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args[0] as tf.Tensor4D;
    const fs = args[1] as tf.Tensor4D;
    const save = args[2] as tf.GradSaveFunc;
    save([xs, fs]);
    return {
      value: tf.conv2d(xs, fs, stride, explicit(pad, pad)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sf] = saved as [tf.Tensor4D, tf.Tensor4D];
        const rotated = tf.transpose(tf.reverse(sf, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
        const d = dilate(dy as tf.Tensor4D, sh, sw);
        const [, lh, lw] = d.shape;
        const dx = tf.conv2d(d, rotated, 1, [[0, 0], [kh - 1 - pad, h + pad - lh], [kw - 1 - pad, w + pad - lw], [0, 0]]);
        const df = tf.engine().runKernel('Conv2DBackpropFilter', { x: sx, dy }, {
          strides: stride,
          pad: explicit(pad, pad),
          dataFormat: 'NHWC',
          filterShape: sf.shape,
        }) as tf.Tensor4D;
        return [dx, df];
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]);
  return op(x, f) as tf.Tensor4D;
}
