/**
 * Metrics of a task request (forget head B):
 * - every head's test accuracy: head B against gold's (near chance), the kept
 *   heads against the original's;
 * - a linear probe for head B's labels on the trunk's features (the last dense
 *   layer's input): what the trunk still holds of task B, against gold's. The
 *   probe is @metanet/metrics' probe recoverability; its score here is the
 *   balanced accuracy (mean per-label recall over B's labels, chance = 1 / units),
 *   because B's labels are few and unequal in size (Fashion-MNIST's groups hold
 *   4, 2 and 4 classes).
 *
 * One forward pass gives both: the trunk's features, then the last dense layer
 * on them, which is the full forward's own last step (the same ops on the same
 * batches, so the head accuracies equal @metanet/nets' `evaluate`'s, bit for
 * bit). Against `evaluate` plus a separate penultimate pass and a probe per
 * label, this took a small-cnn-mt on 6,000 Fashion-MNIST test images from
 * 2.2–2.8 s to 1.3–1.6 s on wasm (measured side by side, warm).
 */
import { findHead, headLabels, headSlices, type HeadSlice, type NetSpec } from '@metanet/spec';
import { forward, headOutput, headTargets } from '@metanet/nets';
import { datasetSize, labelsOf, type Dataset } from '@metanet/data';
import { probeRecoverability } from '@metanet/metrics';
import { tf } from '@metanet/tensor';
import { penultimateNet } from '../predict';
import type { TrainedNet } from '../types';

/** What `evaluateTask` measures; accuracies in percent. */
export interface TaskMetrics {
  /** Test accuracy of every head, by name. */
  headAccuracy: Record<string, number>;
  /** Test accuracy of the forgotten head. */
  forgetHeadAccuracy: number;
  /** Mean test accuracy of the kept heads. */
  retainAccuracy: number;
  /** Balanced accuracy of a linear probe for the forgotten head's labels on trunk features (held-out part of the test set). */
  probeAccuracy: number;
  /** Chance level of the probe's balanced accuracy: 100 / units of the forgotten head. */
  probeChance: number;
}

/** Options of `evaluateTask`: the probe's seed and steps, and the forward batch size. */
export interface EvaluateTaskOptions {
  /** Seeds the probe's train/held-out split. Default 0. */
  seed?: number;
  /** Probe gradient steps. Default 200. */
  probeEpochs?: number;
  /** Forward batch size. Default 256. */
  batchSize?: number;
}

/** Trunk features (N × F, host) and every head's hits, from one eval-mode pass in batches. */
function featuresAndHits(model: TrainedNet, test: Dataset, heads: readonly HeadSlice[], batchSize: number): { features: { values: Float32Array; rows: number; cols: number }; hits: number[] } {
  const trunk = penultimateNet(model);
  const last = model.spec.layers.length - 1;
  // The last dense layer alone, on the trunk's (flat) features; it holds no buffers.
  let headSpec: NetSpec | undefined;
  const headParams = model.params.slice(trunk.params.length);
  const n = datasetSize(test);
  const chunks: Float32Array[] = [];
  const hits = heads.map(() => 0);
  let cols = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const [feats, batchHits] = tf.tidy(() => {
      const x = tf.slice(test.images, [start, 0, 0, 0], [size, -1, -1, -1]);
      const y = tf.slice(test.labels, [start], [size]);
      const f = forward(trunk.spec, trunk.params, x, { buffers: model.buffers, training: false });
      headSpec ??= { ...model.spec, input: [f.size / size], layers: model.spec.layers.slice(last) };
      const logits = forward(headSpec, headParams, f, { buffers: [], training: false });
      const h = heads.map((hd) => tf.sum(tf.cast(tf.equal(tf.argMax(headOutput(hd, logits), -1), headTargets(hd, y)), 'float32')));
      return [tf.reshape(f, [size, -1]), tf.stack(h)];
    });
    cols = feats.shape[1] as number;
    chunks.push(feats.dataSync() as Float32Array);
    (batchHits.dataSync() as Float32Array).forEach((v, k) => (hits[k] = (hits[k] as number) + v));
    tf.dispose([feats, batchHits]);
  }
  const values = new Float32Array(n * cols);
  chunks.reduce((off, c) => (values.set(c, off), off + c.length), 0);
  return { features: { values, rows: n, cols }, hits };
}

/** Head accuracies and the trunk probe of `model` on `test`, for forgetting head `head`. */
export function evaluateTask(model: TrainedNet, test: Dataset, head: string, opts: EvaluateTaskOptions = {}): TaskMetrics {
  const forgotten = findHead(model.spec, head);
  const heads = headSlices(model.spec);
  const n = datasetSize(test);
  const { features, hits } = featuresAndHits(model, test, heads, opts.batchSize ?? 256);
  const headAccuracy: Record<string, number> = {};
  heads.forEach((h, k) => (headAccuracy[h.name] = 100 * (n ? (hits[k] as number) / n : NaN)));
  const kept = Object.keys(headAccuracy).filter((name) => name !== head);
  const y = headLabels(forgotten, labelsOf(test));
  const present = [...new Set(y)].sort((a, b) => a - b);
  // The probe's training ignores forgetClasses: one probe gives every label's recall.
  const probe = probeRecoverability(features, y, { forgetClasses: present.slice(0, 1), numClasses: forgotten.units, seed: opts.seed ?? 0, epochs: opts.probeEpochs });
  const recalls = present.map((c) => probe.classAccuracy[c] as number);
  return {
    headAccuracy,
    forgetHeadAccuracy: headAccuracy[head] as number,
    retainAccuracy: kept.length ? kept.reduce((s, name) => s + (headAccuracy[name] as number), 0) / kept.length : NaN,
    probeAccuracy: (100 * recalls.reduce((a, b) => a + b, 0)) / Math.max(1, recalls.length),
    probeChance: 100 / forgotten.units,
  };
}
