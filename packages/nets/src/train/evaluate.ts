import { tf } from '@metanet/tensor';
import type { Dataset } from '@metanet/data';
import type { NetSpec } from '@metanet/spec';
import { forward } from '../forward/forward';

/** Options of `evaluate`: the net's buffers and the batch size. */
export interface EvaluateOptions {
  buffers?: readonly tf.Tensor[];
  /** Default 256. */
  batchSize?: number;
}

/** Loss and accuracy of a net on a dataset. */
export interface Evaluation {
  /** Mean cross-entropy. */
  loss: number;
  accuracy: number;
  count: number;
}

/** Mean cross-entropy of logits (N, K) against int labels (N). */
export function crossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const k = logits.shape[logits.rank - 1] as number;
    const oneHot = tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, k);
    return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), -1))) as tf.Scalar;
  });
}

/** Eval-mode loss and accuracy over a whole dataset, in batches. */
export function evaluate(spec: NetSpec, params: readonly tf.Tensor[], ds: Dataset, opts: EvaluateOptions = {}): Evaluation {
  const n = ds.images.shape[0];
  const bs = opts.batchSize ?? 256;
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < n; start += bs) {
    const size = Math.min(bs, n - start);
    const [l, c] = tf.tidy(() => {
      const x = tf.slice(ds.images, [start, 0, 0, 0], [size, -1, -1, -1]);
      const y = tf.slice(ds.labels, [start], [size]);
      const logits = forward(spec, params, x, { buffers: opts.buffers, training: false });
      const loss = tf.mul(crossEntropy(logits, y), size);
      const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), tf.cast(y, 'int32')), 'float32'));
      return [loss.dataSync()[0] as number, hits.dataSync()[0] as number];
    });
    lossSum += l;
    correct += c;
  }
  return { loss: n ? lossSum / n : NaN, accuracy: n ? correct / n : NaN, count: n };
}

/** Eval-mode predicted class per example. */
export function predictClasses(spec: NetSpec, params: readonly tf.Tensor[], x: tf.Tensor, opts: EvaluateOptions = {}): Int32Array {
  return tf.tidy(() => tf.argMax(forward(spec, params, x, { buffers: opts.buffers }), -1).dataSync() as Int32Array);
}
