/**
 * Stride-1 conv2d with a hand-written input gradient. tfjs's wasm backend
 * computes Conv2DBackpropInput with a slow generic loop (measured ≈ 8× the
 * forward conv on homework-cnn); for stride 1 the input gradient is itself a
 * stride-1 correlation of dy with the 180°-rotated, in/out-swapped filter and
 * padding k − 1 − p, which runs on the fast forward Conv2D kernel. The filter
 * gradient still goes to the backend's Conv2DBackpropFilter kernel.
 */
import { tf } from '@metanet/tensor';

/** True when `conv2dStride1` applies: stride 1 and 0 ≤ p ≤ k − 1 on both axes. */
export function fastGradApplies(kh: number, kw: number, stride: [number, number], pad: number): boolean {
  return stride[0] === 1 && stride[1] === 1 && pad <= kh - 1 && pad <= kw - 1;
}

type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];

const explicit = (ph: number, pw: number): ExplicitPad => [[0, 0], [ph, ph], [pw, pw], [0, 0]];

/** y = conv2d(x, f, 1, pad) with f in tfjs layout (kh, kw, in, out); gradients for both x and f. */
export function conv2dStride1(x: tf.Tensor4D, f: tf.Tensor4D, pad: number): tf.Tensor4D {
  const [kh, kw] = f.shape;
  // tfjs types the variadic customGrad args as (Tensor | GradSaveFunc)[].
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args[0] as tf.Tensor4D;
    const fs = args[1] as tf.Tensor4D;
    const save = args[2] as tf.GradSaveFunc;
    save([xs, fs]);
    return {
      value: tf.conv2d(xs, fs, 1, explicit(pad, pad)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sf] = saved as [tf.Tensor4D, tf.Tensor4D];
        const rotated = tf.transpose(tf.reverse(sf, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
        const dx = tf.conv2d(dy as tf.Tensor4D, rotated, 1, explicit(kh - 1 - pad, kw - 1 - pad));
        const df = tf.engine().runKernel('Conv2DBackpropFilter', { x: sx, dy }, {
          strides: [1, 1],
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
