/**
 * Feature and concept measures that need the model, not just its outputs:
 * reliance on a feature (accuracy gap and gradient × input attribution mass,
 * as Warnecke et al. 2023 measure a feature's influence) and the concept probe
 * (a linear probe for concept membership on penultimate features). The scores
 * themselves come from @metanet/metrics; this module only runs the model.
 */
import { tf } from '@metanet/tensor';
import { forward } from '@metanet/nets';
import { datasetSize, type Dataset } from '@metanet/data';
import { probeRecoverability } from '@metanet/metrics';
import { predictOutputs } from './predict';
import type { FeatureProbeSets } from './requests/types';
import type { TrainedNet } from './types';

/** How much a model relies on a feature. */
export interface FeatureReliance {
  /** Accuracy (%) on clean minus stamped test images of the other classes: what the feature costs a model that follows it. */
  accuracyGap: number;
  /** Share of |gradient × input| of the feature class's logit that lies on the feature's mask, in [0, 1]; the mask's area share is the no-reliance level. */
  attributionMass: number;
  /** The mask's share of the input (the attribution mass of a model that ignores position). */
  maskShare: number;
}

/** Concept recognisability: a linear probe for concept membership on penultimate test features. */
export interface ConceptProbe {
  /** Held-out ROC AUC of the membership probe; 0.5 = no signal. */
  auc: number;
  /** Held-out accuracy (%) on concept samples. */
  accuracy: number;
}

function accuracy(model: TrainedNet, ds: Dataset, batchSize: number): number {
  const out = predictOutputs(model, ds, { batchSize });
  const y = ds.labels.dataSync();
  let hit = 0;
  for (let i = 0; i < out.rows; i++) {
    let best = 0;
    for (let j = 1; j < out.cols; j++) if (out.values[i * out.cols + j]! > out.values[i * out.cols + best]!) best = j;
    if (best === y[i]) hit++;
  }
  return out.rows === 0 ? 0 : (100 * hit) / out.rows;
}

/**
 * Gradient × input mass on the mask over at most `maxSamples` stamped images,
 * for the logit of the feature's class: the evidence for that class the
 * feature's pixels carry.
 */
function attributionMass(model: TrainedNet, f: FeatureProbeSets, maxSamples: number, batchSize: number): number {
  const n = Math.min(datasetSize(f.stamped), maxSamples);
  let onMask = 0;
  let total = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const a = tf.tidy(() => {
      const x = tf.slice(f.stamped.images, [start, 0, 0, 0], [size, -1, -1, -1]);
      const logit = (xi: tf.Tensor): tf.Tensor => {
        const y = forward(model.spec, model.params, xi as tf.Tensor4D, { buffers: model.buffers, training: false });
        return tf.sum(tf.slice(tf.reshape(y, [size, -1]), [0, f.featureClass], [size, 1]));
      };
      const g = tf.grad(logit)(x);
      return tf.reshape(tf.abs(tf.mul(g, x)), [size, -1]);
    });
    const v = a.dataSync();
    a.dispose();
    const d = f.mask.length;
    for (let i = 0; i < v.length; i++) {
      total += v[i]!;
      if (f.mask[i % d] === 1) onMask += v[i]!;
    }
  }
  return total > 0 ? onMask / total : 0;
}

/** Feature reliance of `model` on `f` (see `FeatureReliance`). */
export function featureReliance(model: TrainedNet, f: FeatureProbeSets, opts: { maxSamples?: number; batchSize?: number } = {}): FeatureReliance {
  const bs = opts.batchSize ?? 128;
  let area = 0;
  for (const m of f.mask) area += m;
  return {
    accuracyGap: accuracy(model, f.clean, bs) - accuracy(model, f.stamped, bs),
    attributionMass: attributionMass(model, f, opts.maxSamples ?? 512, bs),
    maskShare: area / f.mask.length,
  };
}

/** The concept probe of `model` on `test`, whose samples' concept membership is `membership` (1 = in the concept). */
export function conceptProbe(model: TrainedNet, test: Dataset, membership: Int32Array, opts: { seed?: number; batchSize?: number } = {}): ConceptProbe {
  const feats = predictOutputs(model, test, { batchSize: opts.batchSize ?? 256, penultimate: true });
  const p = probeRecoverability(feats, membership, { forgetClasses: [1], numClasses: 2, seed: opts.seed ?? 0 });
  return { auc: p.forgetAuc, accuracy: 100 * p.forgetAccuracy };
}
