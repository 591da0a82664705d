import { tf } from '@metanet/tensor';

/** Mean cross-entropy of logits (N, K) against int labels (N). */
export function crossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const k = logits.shape[logits.rank - 1] as number;
    const oneHot = tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, k);
    return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), -1))) as tf.Scalar;
  });
}
