import { applyActivation, linear, tf, type Activation } from '@metanet/tensor';
import type { ParamStore } from './param-store';

/** A linear layer's variables: W is (in × out), tfjs layout. */
export interface Dense {
  w: tf.Variable;
  b: tf.Variable;
}

export function createDense(store: ParamStore, name: string, inDim: number, outDim: number, zero = false): Dense {
  return {
    w: store.add(`${name}.weight`, [inDim, outDim], zero ? 'zeros' : 'glorot'),
    b: store.add(`${name}.bias`, [outDim], 'zeros'),
  };
}

export function applyDense(x: tf.Tensor2D, d: Dense, reference = false): tf.Tensor2D {
  return linear(x, d.w as tf.Tensor2D, d.b as tf.Tensor1D, { reference });
}

/** Runs dense layers with the activation between them and none after the last one. */
export function applyDenseStack(
  x: tf.Tensor2D,
  layers: readonly Dense[],
  activation: Activation,
  reference = false,
): tf.Tensor2D {
  let h = x;
  layers.forEach((d, i) => {
    h = applyDense(h, d, reference);
    if (i < layers.length - 1) h = applyActivation(h, activation);
  });
  return h;
}
