import { tf } from '@metanet/tensor';
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
  const axes = x.shape.slice(0, -1).map((_, k) => k);
  const n = x.size / (x.shape[x.rank - 1] as number);
  const { mean, variance } = tf.moments(x, axes);
  const y = tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta);
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
