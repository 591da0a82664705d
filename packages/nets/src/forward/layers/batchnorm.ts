import { batchNormTrain, tf } from '@metanet/tensor';
import type { BatchNormLayer } from '@metanet/spec';
import type { LayerForward } from '../context';

export interface BatchNormResult {
  y: tf.Tensor;
  runningMean: tf.Tensor;
  runningVar: tf.Tensor;
}

/**
 * BatchNorm over every axis but the last (channels). Training normalises with
 * the biased batch variance and updates the running variance with the unbiased
 * one, exactly as torch.nn.BatchNorm does.
 */
export function batchNorm(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  runningMean: tf.Tensor,
  runningVar: tf.Tensor,
  training: boolean,
  eps: number,
  momentum: number,
): BatchNormResult {
  if (!training) {
    const y = tf.add(tf.mul(tf.div(tf.sub(x, runningMean), tf.sqrt(tf.add(runningVar, eps))), gamma), beta);
    return { y, runningMean, runningVar };
  }
  const n = x.size / (x.shape[x.rank - 1] as number);
  // One compiled kernel each way on wasm; the same tfjs ops as before elsewhere.
  const { y, mean, variance } = batchNormTrain(x, gamma, beta, eps);
  // Running statistics are state: callers never differentiate through them (no loss reads them).
  const m = mean;
  const v = variance;
  const unbiased = n > 1 ? tf.mul(v, n / (n - 1)) : v;
  return {
    y,
    runningMean: tf.add(tf.mul(runningMean, 1 - momentum), tf.mul(m, momentum)),
    runningVar: tf.add(tf.mul(runningVar, 1 - momentum), tf.mul(unbiased, momentum)),
  };
}

export const batchnorm: LayerForward<BatchNormLayer> = (layer, x, ctx) => ctx.batchNorm(x, '', layer.eps, layer.momentum);
