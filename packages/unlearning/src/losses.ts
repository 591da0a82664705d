/**
 * Differentiable losses the methods train with. (Scoring metrics live in
 * @metanet/metrics; these are training objectives on tensors.)
 */
import { tf } from '@metanet/tensor';

/** Mean cross-entropy of logits (N, K) against int32 labels (N). */
export function crossEntropyLoss(logits: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  const k = logits.shape[logits.rank - 1] as number;
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(labels, k), tf.logSoftmax(logits)), -1))) as tf.Scalar;
}

/** Mean KL(target ‖ softmax(logits)) over rows; `target` rows are distributions (N, K). */
export function klToTargetLoss(logits: tf.Tensor, target: tf.Tensor): tf.Scalar {
  const logT = tf.log(tf.maximum(target, 1e-12));
  return tf.mean(tf.sum(tf.mul(target, tf.sub(logT, tf.logSoftmax(logits))), -1)) as tf.Scalar;
}

/** Rows `start … start+size` of a batch-major tensor. */
export function rowsOf(t: tf.Tensor, start: number, size: number): tf.Tensor {
  if (start === 0 && size === t.shape[0]) return t;
  return tf.slice(t, [start], [size]);
}

/** Σ|w| over all params (ℓ1-sparse). */
export function l1Norm(params: readonly tf.Tensor[]): tf.Scalar {
  return tf.addN(params.map((p) => tf.sum(tf.abs(p)))) as tf.Scalar;
}
