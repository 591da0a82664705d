import * as tf from '@tensorflow/tfjs-core';
import { BIAS_RELU_GRAD } from '../kernels/bias-relu-grad';
import { CONV2D_BIAS_ACT, type Conv2DBiasActAttrs } from '../kernels/conv2d-bias-act';
import { compiledKernelAvailable } from './compiled';
import { InvalidTensorArgumentError } from '../errors';

/** Padding of `conv2dBiasAct`: tfjs's names or explicit NHWC pads. */
export type Conv2DPadding = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

// Gradients are global in tfjs; the kernel that takes them is wasm-only.
tf.registerGradient({
  kernelName: CONV2D_BIAS_ACT,
  inputsToSave: ['x', 'filter'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const a = attrs as unknown as Conv2DBiasActAttrs;
    // dz and the bias gradient come from one kernel, so it runs here, in the backward
    // pass's own scope (as batchNormTrain's gradient does), and each closure below
    // only reads them: tfjs calls just the closures of inputs the tape needs.
    const [dz, db] =
      a.activation === 'relu'
        ? (tf.engine().runKernel(BIAS_RELU_GRAD, { dy: dy as tf.Tensor, y }) as tf.Tensor[])
        : [dy as tf.Tensor, tf.sum(dy as tf.Tensor, [0, 1, 2])];
    const geometry = { strides: a.strides, pad: a.pad, dataFormat: 'NHWC', dimRoundingMode: a.dimRoundingMode };
    return {
      x: () => tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: dz!, filter }, { ...geometry, inputShape: x.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
      filter: () => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: dz! }, { ...geometry, filterShape: filter.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
      bias: () => db!,
    };
  },
});

/**
 * act(conv2d(x, filter) + bias) for NHWC `x`, a tfjs-layout filter
 * (kh, kw, in, out) and one bias per output channel, with act ReLU or none.
 * Differentiable in all three. On wasm one kernel forward (the conv with bias
 * and ReLU in its epilogue) and, for ReLU, one pass for the mask and the bias
 * gradient before the two conv gradients; an input that needs no gradient
 * (a first layer's images) gets none computed. Elsewhere `tf.conv2d`, `tf.add`
 * and `tf.relu`, with the same results up to rounding.
 */
export function conv2dBiasAct(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  strides: [number, number],
  pad: Conv2DPadding,
  activation: 'relu' | 'linear',
): tf.Tensor4D {
  const outChannels = filter.shape[3];
  if (bias.rank !== 1 || bias.shape[0] !== outChannels) {
    throw new InvalidTensorArgumentError(`conv2dBiasAct: bias has shape [${bias.shape.join(', ')}], expected [${outChannels}] (one per output channel)`);
  }
  const compiled = compiledKernelAvailable(CONV2D_BIAS_ACT) && [x, filter, bias].every((t) => t.dtype === 'float32');
  if (compiled) {
    const attrs: Conv2DBiasActAttrs = { strides, pad, dataFormat: 'NHWC', dilations: [1, 1], activation };
    return tf.engine().runKernel(CONV2D_BIAS_ACT, { x, filter, bias }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
  }
  const z = tf.add(tf.conv2d(x, filter, strides, pad), bias) as tf.Tensor4D;
  return activation === 'relu' ? tf.relu(z) : z;
}
