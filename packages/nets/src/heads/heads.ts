/**
 * Multi-head nets at run time: per-head outputs and the summed, weighted
 * training loss. A spec's heads are slices of its last dense layer (see
 * @metanet/spec heads.ts), so `forward` needs no change: these functions
 * slice its output. A single-head spec goes through the plain cross-entropy.
 */
import { tf } from '@metanet/tensor';
import { headSlices, type HeadSlice, type NetSpec } from '@metanet/spec';
import { InvalidTrainingOptionsError } from '../errors';
import { crossEntropy } from '../train/cross-entropy';

/** Loss weight per head name; a missing head weighs 1, a weight of 0 leaves the head untrained. */
export type HeadWeights = Readonly<Record<string, number>>;

/** The logits of one head: columns [start, start + units) of the network output. */
export function headOutput(head: HeadSlice, output: tf.Tensor): tf.Tensor {
  return tf.slice(output, [0, head.start], [-1, head.units]);
}

/** The network output split per head, by name; `{}` for a single-head spec. */
export function headOutputs(spec: NetSpec, output: tf.Tensor): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const h of headSlices(spec)) out[h.name] = headOutput(h, output);
  return out;
}

/** A head's labels (int32) from dataset labels, through its label map. */
export function headTargets(head: HeadSlice, labels: tf.Tensor): tf.Tensor {
  const y = tf.cast(labels, 'int32');
  return head.labelMap ? tf.gather(tf.tensor1d(head.labelMap, 'int32'), y) : y;
}

/** Checks a weight map names only heads of the spec and holds finite weights ≥ 0. */
export function checkHeadWeights(spec: NetSpec, weights: HeadWeights | undefined): void {
  if (!weights) return;
  const names = headSlices(spec).map((h) => h.name);
  for (const [name, w] of Object.entries(weights)) {
    if (!names.includes(name)) throw new InvalidTrainingOptionsError(`headWeights names ${JSON.stringify(name)}, which is no head of the net; its heads: ${names.join(', ') || 'none (a single-head net)'}`);
    if (!Number.isFinite(w) || w < 0) throw new InvalidTrainingOptionsError(`headWeights.${name} must be a finite number ≥ 0, got ${w}`);
  }
}

/**
 * The training loss: cross-entropy for a single-head spec; for a multi-head
 * one, Σ_k w_k · CE(head k's logits, head k's labels), heads of weight 0 left out.
 */
export function netLoss(spec: NetSpec, output: tf.Tensor, labels: tf.Tensor, weights?: HeadWeights): tf.Scalar {
  const heads = headSlices(spec);
  if (!heads.length) return crossEntropy(output, labels);
  return tf.tidy(() => {
    const terms = heads
      .filter((h) => (weights?.[h.name] ?? 1) > 0)
      .map((h) => tf.mul(crossEntropy(headOutput(h, output), headTargets(h, labels)), weights?.[h.name] ?? 1));
    return (terms.length ? tf.addN(terms) : tf.scalar(0)) as tf.Scalar;
  });
}

/** The head a multi-head net's accuracy is reported on (the first), or null for a single-head spec. */
export function primaryHead(spec: NetSpec): HeadSlice | null {
  return headSlices(spec)[0] ?? null;
}

/** Number of correct predictions of the primary head (the whole output for a single-head spec). */
export function primaryHits(spec: NetSpec, output: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const h = primaryHead(spec);
    const logits = h ? headOutput(h, output) : output;
    const y = h ? headTargets(h, labels) : tf.cast(labels, 'int32');
    return tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), y), 'float32')) as tf.Scalar;
  });
}
