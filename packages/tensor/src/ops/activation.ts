import * as tf from '@tensorflow/tfjs-core';
import type { ActCode } from '../kernels/gather-sum-act';

/** Activations the fused kernels (GatherSumAct) support: their derivative is recoverable from the output alone. */
export type Activation = 'relu' | 'leaky_relu' | 'linear';

/** Every activation the fused ops support. */
export const ACTIVATIONS: readonly Activation[] = ['relu', 'leaky_relu', 'linear'];

export const LEAKY_ALPHA = 0.01;

export function actCode(a: Activation): ActCode {
  return a === 'relu' ? 1 : a === 'leaky_relu' ? 2 : 0;
}

/** The activation with stock tf ops (autograd): the reference path of gatherSumAct, and MLP layers on few rows. */
export function applyActivation(x: tf.Tensor2D, a: Activation): tf.Tensor2D {
  if (a === 'relu') return tf.relu(x);
  if (a === 'leaky_relu') return tf.leakyRelu(x, LEAKY_ALPHA);
  return x;
}
