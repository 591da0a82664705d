/**
 * Runs of layers that execute as one op. A run fuses only where the result is
 * the same function of the same parameters (up to rounding), so the tape still
 * reaches every parameter and the layers after it see the same activations.
 */
import { conv2dBiasAct, tf } from '@metanet/tensor';
import { convGeometry, type BatchNormLayer, type Conv2dLayer, type Layer } from '@metanet/spec';
import { explicitPad, toTfFilter } from './layers/conv2d';

/** What a fused run reads: every parameter and buffer by full name, and the pass's mode. */
export interface FusionScope {
  training: boolean;
  param(name: string): tf.Tensor | undefined;
  buffer(name: string): tf.Tensor | undefined;
}

/** A fused run: its forward, and how many layers of the spec it stands for. */
export interface FusedRun {
  layers: number;
  run(x: tf.Tensor): tf.Tensor;
}

const isRelu = (l: Layer | undefined): boolean => l?.type === 'activation' && l.fn === 'relu';

/** The fused run starting at `layers[index]`, or undefined where it runs layer by layer. */
export function fusedRun(layers: readonly Layer[], index: number, scope: FusionScope): FusedRun | undefined {
  const layer = layers[index];
  if (layer?.type !== 'conv2d') return undefined;
  const pre = `layers.${index}`;
  const w = scope.param(`${pre}.weight`) as tf.Tensor;
  const b = scope.param(`${pre}.bias`);
  const next = layers[index + 1];
  // conv → ReLU (small-cnn): one kernel forward, one pass for the mask and the bias
  // gradient backward, in place of conv, add and relu forward and Step, Mul and Sum
  // backward; at batch 64 those calls cost more than their arithmetic.
  if (b !== undefined && isRelu(next)) {
    return { layers: 2, run: (x) => convBiasAct(layer, x, toTfFilter(w), b, 'relu') };
  }
  // conv → batch norm (→ ReLU) in eval mode (homework-cnn): the normalisation is a
  // per-channel affine map, folded into the filter and bias, so the block is one
  // conv with ReLU in its epilogue instead of six passes over the activations.
  if (!scope.training && next?.type === 'batchnorm') {
    const bn = `layers.${index + 1}`;
    const relu = isRelu(layers[index + 2]);
    return {
      layers: relu ? 3 : 2,
      run: (x) => {
        const s = tf.div(scope.param(`${bn}.weight`) as tf.Tensor, tf.sqrt(tf.add(scope.buffer(`${bn}.running_var`) as tf.Tensor, (next as BatchNormLayer).eps ?? 1e-5)));
        const mean = scope.buffer(`${bn}.running_mean`) as tf.Tensor;
        const shift = tf.add(tf.mul(b === undefined ? tf.neg(mean) : tf.sub(b, mean), s), scope.param(`${bn}.bias`) as tf.Tensor);
        return convBiasAct(layer, x, tf.mul(toTfFilter(w), s) as tf.Tensor4D, shift, relu ? 'relu' : 'linear');
      },
    };
  }
  return undefined;
}

function convBiasAct(layer: Conv2dLayer, x: tf.Tensor, filter: tf.Tensor4D, bias: tf.Tensor, act: 'relu' | 'linear'): tf.Tensor {
  const g = convGeometry(layer);
  return conv2dBiasAct(x as tf.Tensor4D, filter, bias as tf.Tensor1D, [g.sh, g.sw], explicitPad(g.padding), act);
}
