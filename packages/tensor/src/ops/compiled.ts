import * as tf from '@tensorflow/tfjs-core';
import { nativeKernelsOfBackend } from '../kernels/native';

/**
 * Whether an op may dispatch to metanet's compiled kernel `kernelName`: it is registered on the current backend and
 * the compiled module runs there (wasm with SIMD, not switched off). Otherwise the op takes its tf-op fallback.
 */
export function compiledKernelAvailable(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined && nativeKernelsOfBackend(tf.backend()) !== null;
}
