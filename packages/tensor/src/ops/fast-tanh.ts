import * as tf from '@tensorflow/tfjs-core';
import { FAST_TANH, FAST_TANH_GRAD } from '../kernels/activation';
import { compiledKernelAvailable } from './compiled';

tf.registerGradient({
  kernelName: FAST_TANH,
  outputsToSave: [true],
  gradFunc: (dy, saved) => {
    const [y] = saved as [tf.Tensor];
    return { x: () => tf.engine().runKernel(FAST_TANH_GRAD, { y, dy: dy as tf.Tensor }) as tf.Tensor };
  },
});

/**
 * tanh(x). On wasm with the compiled kernels, one SIMD pass forward (activation.c) and one backward (dy·(1 − y²) from
 * the saved output), within a few float32 ulps of Math.tanh; elsewhere (and for non-float32 input) tf.tanh.
 */
export function fastTanh(x: tf.Tensor): tf.Tensor {
  if (compiledKernelAvailable(FAST_TANH) && x.dtype === 'float32') return tf.engine().runKernel(FAST_TANH, { x }) as tf.Tensor;
  return tf.tanh(x);
}
