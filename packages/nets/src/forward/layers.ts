/**
 * Per-layer functional ops. Activations are NHWC; weights arrive in PyTorch
 * layout and are transposed here, so gradients flow back into that layout.
 */
import { batchNormTrain, tf } from '@metanet/tensor';
import { convGeometry } from '../spec/shapes';
import type { ActivationFn, Conv2dLayer } from '../spec/types';
import { conv2dFastGrad, fastGradApplies } from './conv_grad';

/** x (..., in) · Wᵀ + b with W (out, in), as torch.nn.Linear. */
export function dense(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor | undefined): tf.Tensor {
  const inDim = x.shape[x.rank - 1] as number;
  const lead = x.shape.slice(0, -1);
  const x2 = x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, inDim]) as tf.Tensor2D;
  let y: tf.Tensor = tf.matMul(x2, w as tf.Tensor2D, false, true);
  if (b) y = tf.add(y, b);
  return x.rank === 2 ? y : tf.reshape(y, [...lead, w.shape[0] as number]);
}

/** PyTorch (out, in, kh, kw) → tfjs filter (kh, kw, in, out). */
export function toTfFilter(w: tf.Tensor): tf.Tensor4D {
  return tf.transpose(w, [2, 3, 1, 0]) as tf.Tensor4D;
}

export function conv(
  x: tf.Tensor4D,
  w: tf.Tensor,
  b: tf.Tensor | undefined,
  stride: [number, number],
  padding: 'same' | number,
): tf.Tensor4D {
  const kh = w.shape[2] as number;
  const kw = w.shape[3] as number;
  // On wasm the registered Conv2DBackpropInput (tensor's conv.c) beats the dilated
  // conv of conv2dFastGrad, and tf.conv2d's gradient skips dx where no one needs it
  // (the first layer's: 10 ms of a homework-cnn step). tf.fused.conv2d would save
  // the bias pass but computes dx always (its gradient is a customGrad).
  let y =
    typeof padding === 'number' && tf.getBackend() !== 'wasm' && fastGradApplies(kh, kw, stride, padding)
      ? conv2dFastGrad(x, toTfFilter(w), stride, padding)
      : tf.conv2d(x, toTfFilter(w), stride, padding === 0 ? 'valid' : padding);
  if (b) y = tf.add(y, b);
  return y;
}

export function conv2dLayer(layer: Conv2dLayer, x: tf.Tensor4D, w: tf.Tensor, b: tf.Tensor | undefined): tf.Tensor4D {
  const g = convGeometry(layer);
  return conv(x, w, b, [g.sh, g.sw], g.padding);
}

export function activation(x: tf.Tensor, fn: ActivationFn, alpha = 0.01): tf.Tensor {
  switch (fn) {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'leaky_relu':
      return tf.leakyRelu(x, alpha);
    case 'gelu':
      // Exact GELU (erf form), as torch.nn.GELU() by default.
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
  }
}

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

/** LayerNorm over the last axis (torch.nn.LayerNorm(D)). */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, [x.rank - 1], true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta);
}

/** Flatten one example in PyTorch's (C, H, W) order even though activations are (H, W, C). */
export function flatten(x: tf.Tensor): tf.Tensor {
  const n = x.shape[0] as number;
  if (x.rank === 4) return tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [n, -1]);
  return x.rank === 2 ? x : tf.reshape(x, [n, -1]);
}

export interface AttentionParams {
  wq: tf.Tensor;
  wk: tf.Tensor;
  wv: tf.Tensor;
  wo: tf.Tensor;
  bq?: tf.Tensor;
  bk?: tf.Tensor;
  bv?: tf.Tensor;
  bo?: tf.Tensor;
}

/** Multi-head self-attention on (N, T, D), scaled dot product, no mask. */
export function selfAttention(x: tf.Tensor, heads: number, p: AttentionParams): tf.Tensor {
  const [n, t, d] = x.shape as [number, number, number];
  const dh = d / heads;
  const split = (z: tf.Tensor): tf.Tensor => tf.transpose(tf.reshape(z, [n, t, heads, dh]), [0, 2, 1, 3]);
  const q = split(dense(x, p.wq, p.bq));
  const k = split(dense(x, p.wk, p.bk));
  const v = split(dense(x, p.wv, p.bv));
  const scores = tf.div(tf.matMul(q as tf.Tensor4D, k as tf.Tensor4D, false, true), Math.sqrt(dh));
  const ctx = tf.matMul(tf.softmax(scores), v as tf.Tensor4D);
  const merged = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [n, t, d]);
  return dense(merged, p.wo, p.bo);
}
