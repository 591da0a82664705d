import { tf } from '@metanet/tensor';
import type { Dataset } from '@metanet/data';
import { headSlices, type NetSpec } from '@metanet/spec';
import { forward } from '../forward/forward';
import { headOutput, headTargets, netLoss, primaryHead, primaryHits } from '../heads/heads';

export { crossEntropy } from './cross-entropy';

/** Options of `evaluate`: the net's buffers and the batch size. */
export interface EvaluateOptions {
  buffers?: readonly tf.Tensor[];
  /** Default 256. */
  batchSize?: number;
}

/** Loss and accuracy of a net on a dataset. */
export interface Evaluation {
  /** Mean cross-entropy (a multi-head net: the sum over heads). */
  loss: number;
  /** Accuracy (a multi-head net: of its first head). */
  accuracy: number;
  count: number;
  /** A multi-head net's accuracy per head, by name. */
  headAccuracy?: Record<string, number>;
}

/** Eval-mode loss and accuracy over a whole dataset, in batches. */
export function evaluate(spec: NetSpec, params: readonly tf.Tensor[], ds: Dataset, opts: EvaluateOptions = {}): Evaluation {
  const n = ds.images.shape[0];
  const bs = opts.batchSize ?? 256;
  let lossSum = 0;
  let correct = 0;
  const heads = headSlices(spec);
  const headHits = heads.map(() => 0);
  for (let start = 0; start < n; start += bs) {
    const size = Math.min(bs, n - start);
    const [l, c] = tf.tidy(() => {
      const x = tf.slice(ds.images, [start, 0, 0, 0], [size, -1, -1, -1]);
      const y = tf.slice(ds.labels, [start], [size]);
      const logits = forward(spec, params, x, { buffers: opts.buffers, training: false });
      const loss = tf.mul(netLoss(spec, logits, y), size);
      const hits = primaryHits(spec, logits, y);
      heads.forEach((h, k) => {
        headHits[k] = (headHits[k] as number) + (tf.sum(tf.cast(tf.equal(tf.argMax(headOutput(h, logits), -1), headTargets(h, y)), 'float32')).dataSync()[0] as number);
      });
      return [loss.dataSync()[0] as number, hits.dataSync()[0] as number];
    });
    lossSum += l;
    correct += c;
  }
  const out: Evaluation = { loss: n ? lossSum / n : NaN, accuracy: n ? correct / n : NaN, count: n };
  if (heads.length) out.headAccuracy = Object.fromEntries(heads.map((h, k) => [h.name, n ? (headHits[k] as number) / n : NaN]));
  return out;
}

/** Eval-mode predicted class per example (a multi-head net: of its first head). */
export function predictClasses(spec: NetSpec, params: readonly tf.Tensor[], x: tf.Tensor, opts: EvaluateOptions = {}): Int32Array {
  return tf.tidy(() => {
    const out = forward(spec, params, x, { buffers: opts.buffers });
    const h = primaryHead(spec);
    return tf.argMax(h ? headOutput(h, out) : out, -1).dataSync() as Int32Array;
  });
}
