import { tf } from '@metanet/tensor';
import type { ParamStore } from './param-store';

export interface LayerNorm {
  gamma: tf.Variable;
  beta: tf.Variable;
}

export const LAYER_NORM_EPS = 1e-5;

export function createLayerNorm(store: ParamStore, name: string, dim: number): LayerNorm {
  return { gamma: store.add(`${name}.weight`, [dim], 'ones'), beta: store.add(`${name}.bias`, [dim], 'zeros') };
}

/** Normalises each row over its features (PyTorch's LayerNorm with a learnt affine). */
export function applyLayerNorm(x: tf.Tensor2D, ln: LayerNorm): tf.Tensor2D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, 1, true);
    const xhat = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, LAYER_NORM_EPS)));
    return tf.add(tf.mul(xhat, ln.gamma), ln.beta) as tf.Tensor2D;
  });
}
