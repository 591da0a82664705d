import { tf } from '@metanet/tensor';
import type { ActCode } from './gather-sum-act-kernels';

/** Activations the fused kernels support: their derivative is recoverable from the output alone. */
export type Activation = 'relu' | 'leaky_relu' | 'linear';

export const ACTIVATIONS: readonly Activation[] = ['relu', 'leaky_relu', 'linear'];

export const LEAKY_ALPHA = 0.01;

export function actCode(a: Activation): ActCode {
  return a === 'relu' ? 1 : a === 'leaky_relu' ? 2 : 0;
}

/** The activation with stock tf ops (autograd), for the naive path and N-row MLPs. */
export function applyActivation(x: tf.Tensor2D, a: Activation): tf.Tensor2D {
  if (a === 'relu') return tf.relu(x);
  if (a === 'leaky_relu') return tf.leakyRelu(x, LEAKY_ALPHA);
  return x;
}
