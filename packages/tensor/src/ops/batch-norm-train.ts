import * as tf from '@tensorflow/tfjs-core';
import { BATCH_NORM_TRAIN, type BatchNormTrainAttrs } from '../kernels/batch-norm-train';
import { BATCH_NORM_TRAIN_GRAD } from '../kernels/batch-norm-train-grad';
import { compiledKernelAvailable } from './compiled';

/** Batch norm in training mode: the normalised output and the batch mean and variance. */
export interface BatchNormTrainResult {
  y: tf.Tensor;
  /** Batch mean per channel. */
  mean: tf.Tensor1D;
  /** Biased batch variance per channel. */
  variance: tf.Tensor1D;
}

// Gradients are global in tfjs; the kernels that take them are wasm-only.
tf.registerGradient({
  kernelName: BATCH_NORM_TRAIN,
  inputsToSave: ['x', 'scale'],
  outputsToSave: [false, true, false, true],
  gradFunc: (dys, saved) => {
    const [dy, dmean, dvariance] = dys as (tf.Tensor | null)[];
    const [x, scale, mean, rstd] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const inputs: tf.NamedTensorMap = { dy: dy ?? tf.zerosLike(x), x, scale, mean, rstd };
    if (dmean) inputs['dmean'] = dmean;
    if (dvariance) inputs['dvariance'] = dvariance;
    // One kernel gives all three gradients, so it runs here, in the backward pass's
    // own scope: tfjs runs each closure below in a tidy of its own, which would
    // dispose the other two outputs if the first closure made them.
    const all = tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, inputs) as tf.Tensor[];
    return { x: () => all[0]!, scale: () => all[1]!, offset: () => all[2]! };
  },
});

/**
 * Training-mode batch normalisation over every axis but the last (channels):
 * y = (x − mean)/√(variance + eps)·scale + offset with the batch mean and
 * biased variance, as torch.nn.BatchNorm in train mode. Differentiable in x,
 * scale and offset (through mean and variance too). On wasm one compiled kernel
 * each way; elsewhere tfjs ops.
 */
export function batchNormTrain(x: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor, eps: number): BatchNormTrainResult {
  if (compiledKernelAvailable(BATCH_NORM_TRAIN) && x.dtype === 'float32') {
    const attrs: BatchNormTrainAttrs = { varianceEpsilon: eps };
    const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAIN, { x, scale, offset }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return { y: y!, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  }
  const axes = x.shape.slice(0, -1).map((_, k) => k);
  const { mean, variance } = tf.moments(x, axes);
  const y = tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), scale), offset);
  return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}
