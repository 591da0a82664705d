import * as tf from '@tensorflow/tfjs-core';
import { FAST_GELU, FAST_GELU_GRAD } from '../kernels/activation';
import { compiledKernelAvailable } from './compiled';

tf.registerGradient({
  kernelName: FAST_GELU,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    return { x: () => tf.engine().runKernel(FAST_GELU_GRAD, { x, dy: dy as tf.Tensor }) as tf.Tensor };
  },
});

/** GELU with tf ops, erf form (torch.nn.GELU()'s default): the reference and the fallback. */
export function geluReference(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))));
}

/**
 * Exact GELU x·Φ(x). On wasm with the compiled kernels one SIMD pass each way (activation.c; erf by the
 * Abramowitz & Stegun approximation tf.erf uses, so it agrees with `geluReference` to float32 rounding);
 * elsewhere `geluReference`.
 */
export function fastGelu(x: tf.Tensor): tf.Tensor {
  if (compiledKernelAvailable(FAST_GELU) && x.dtype === 'float32') return tf.engine().runKernel(FAST_GELU, { x }) as tf.Tensor;
  return geluReference(x);
}
