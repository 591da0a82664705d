/**
 * The evaluation harness: every unlearning metric for one model, computed by
 * @metanet/metrics from host logits/features this module produces. Nothing
 * here scores anything itself; it only decides which samples each metric sees.
 */
import { tf } from '@metanet/tensor';
import { initBuffers, initParams } from '@metanet/nets';
import { datasetSize, labelsOf, subsetDataset, disposeDataset, type Dataset } from '@metanet/data';
import {
  activationDistance,
  entropyMia,
  jsDivergence,
  perSampleCrossEntropy,
  lossMia,
  probeRecoverability,
  svcMiaEfficacy,
  unlearningAccuracies,
  weightDistance,
  zrf,
  type GapMetrics,
  type ProbeResult,
} from '@metanet/metrics';
import { predictOutputs, type OutputMatrix } from './predict';
import { sampleIndices } from './requests/select';
import type { FeatureProbeSets, RequestKind, RequestSets } from './requests/types';
import { conceptProbe, featureReliance, type ConceptProbe, type FeatureReliance } from './feature-reliance';
import type { TrainedNet } from './types';

/** The sets a model is scored on. */
export interface EvaluationSets {
  /** D_f (train). */
  forget: Dataset;
  /** D_r (train). */
  retain: Dataset;
  test: Dataset;
  testForget?: Dataset;
  testRetain?: Dataset;
  forgetClasses?: number[];
  numClasses: number;
  /** The request's kind (methods that cannot serve it refuse). */
  requestKind?: RequestKind;
  /** Feature requests: where reliance on the feature is measured. */
  feature?: FeatureProbeSets;
  /** Concept requests: concept membership (1) of each `test` sample, for the concept probe. */
  conceptMembership?: Int32Array;
}

/** The evaluation sets of a built request. */
export function evaluationSets(r: RequestSets): EvaluationSets {
  return {
    forget: r.train.forget,
    retain: r.train.retain,
    test: r.test.full,
    testForget: r.test.forget,
    testRetain: r.test.retain,
    forgetClasses: r.forgetClasses,
    numClasses: r.numClasses,
    requestKind: r.request.kind,
    ...(r.feature && { feature: r.feature }),
    ...(r.concept && { conceptMembership: r.concept.testMembership }),
  };
}

/** Options of `evaluateModel`: the gold model, the random init for ZRF, and which metrics to compute. */
export interface EvaluateOptions {
  /** Retrain/gold model: enables JS, activation distance and ℓ2 weight distance to gold. */
  gold?: TrainedNet;
  /** Randomly initialised model for ZRF. Default: a fresh init of the spec with seed `seed + 1`. */
  randomInit?: TrainedNet;
  /** Seeds the MIA subsampling/splits, the probe split and the default random init. Default 0. */
  seed?: number;
  /** Cap on shadow samples per group of the SVC MIA (its fit is O(n²)). Default 2000. */
  maxShadow?: number;
  /** Score RA on a seeded subsample of D_r of at most this size (the rest of the metrics already cap). Default: all of D_r. */
  maxRetain?: number;
  /** Probe recoverability on the test set's penultimate features (class-wise requests only). Default true. */
  probe?: boolean;
  /** Relearn time: steps to regain the forget accuracy target (B's `relearnTime`); omitted when absent. */
  relearn?: (model: TrainedNet) => Promise<number> | number;
  /** Forward batch size. Default 256. */
  batchSize?: number;
}

/** Every metric of one model. Accuracies are percentages; MIAs and distances are as @metanet/metrics defines them. */
export interface ModelMetrics {
  forgetAcc: number;
  retainAcc: number;
  testAcc: number;
  testForgetAcc?: number;
  testRetainAcc?: number;
  /** 100 − forgetAcc. */
  UA: number;
  RA: number;
  TA: number;
  /** Homework LR-loss MIA: attack accuracy, D_f losses vs test-retain (else test) losses; 0.5 = indistinguishable. */
  lrMia: number;
  /** SalUn SVC MIA-efficacy on D_f (confidence feature), in [0, 1]; higher = more forgotten. */
  svcMia: number;
  /** Entropy LR attack accuracy, D_f vs test-retain (else test). */
  entropyMia: number;
  /** Mean JS divergence (nats) to gold's outputs on D_f. */
  jsToGold?: number;
  /** Mean activation distance to gold's softmax on D_f. */
  activationDistanceToGold?: number;
  /** ℓ2 distance of the params to gold's. */
  weightDistanceToGold?: number;
  /** ZRF on D_f against a randomly initialised model, in [0, 1]. */
  zrf: number;
  /** Probe recoverability of the forgotten classes on penultimate test features. */
  probe?: Pick<ProbeResult, 'forgetAuc' | 'forgetAccuracy' | 'retainAccuracy'>;
  /** Fine-tuning steps on a slice of D_f to regain the target forget accuracy. */
  relearnSteps?: number;
  /** Feature requests: reliance on the feature, and its distance to gold's (with a gold model). */
  feature?: FeatureReliance & { accuracyGapToGold?: number; attributionMassToGold?: number };
  /** Concept requests: the concept membership probe, and its AUC's distance to gold's (with a gold model). */
  concept?: ConceptProbe & { aucToGold?: number };
}

/** The four numbers Avg Gap compares, in percent (the SVC MIA-efficacy × 100), ready for metrics' `avgGap`. */
export function gapMetrics(m: ModelMetrics): GapMetrics {
  return { UA: m.UA, RA: m.RA, TA: m.TA, MIA: 100 * m.svcMia };
}

// Gold and random-init outputs are reused across every method of a comparison.
const outputCache = new WeakMap<TrainedNet, WeakMap<Dataset, OutputMatrix>>();

function cachedOutputs(model: TrainedNet, ds: Dataset, batchSize: number): OutputMatrix {
  let m = outputCache.get(model);
  if (!m) outputCache.set(model, (m = new WeakMap()));
  let out = m.get(ds);
  if (!out) m.set(ds, (out = predictOutputs(model, ds, { batchSize })));
  return out;
}

// Gold's feature reliance and concept probe, reused across the methods of a comparison.
const measureCache = new WeakMap<TrainedNet, WeakMap<object, unknown>>();

function cachedModelMeasure<T>(model: TrainedNet, key: object, compute: () => T): T {
  let m = measureCache.get(model);
  if (!m) measureCache.set(model, (m = new WeakMap()));
  if (!m.has(key)) m.set(key, compute());
  return m.get(key) as T;
}

/** Computes every metric of `model` on `sets` (see `ModelMetrics`). */
export async function evaluateModel(model: TrainedNet, sets: EvaluationSets, opts: EvaluateOptions = {}): Promise<ModelMetrics> {
  const seed = opts.seed ?? 0;
  const bs = opts.batchSize ?? 256;
  const out = (ds: Dataset): OutputMatrix => predictOutputs(model, ds, { batchSize: bs });
  const withLabels = (ds: Dataset) => ({ logits: out(ds), labels: labelsOf(ds) });

  let retainEval = sets.retain;
  const nRetain = datasetSize(sets.retain);
  if (opts.maxRetain !== undefined && nRetain > opts.maxRetain) {
    retainEval = subsetDataset(sets.retain, sampleIndices(Int32Array.from({ length: nRetain }, (_, i) => i), opts.maxRetain, seed ^ 0x7e7a), `${sets.retain.name}[eval]`);
  }
  try {
    const forget = withLabels(sets.forget);
    const retain = withLabels(retainEval);
    const test = withLabels(sets.test);
    const testForget = sets.testForget && datasetSize(sets.testForget) > 0 ? withLabels(sets.testForget) : undefined;
    const testRetain = sets.testRetain && datasetSize(sets.testRetain) > 0 ? withLabels(sets.testRetain) : undefined;
    const acc = unlearningAccuracies({ forget, retain, test, testForget, testRetain });

    // Non-members for the LR attacks: held-out samples of the retained classes when the request has them.
    const nonMember = testRetain ?? test;
    const lr = lossMia(perSampleCrossEntropy(forget.logits, forget.labels), perSampleCrossEntropy(nonMember.logits, nonMember.labels), { seed });
    const ent = entropyMia(forget.logits, nonMember.logits, { seed });
    const svc = await svcMiaEfficacy({ retain, test, forget }, { seed, maxPerGroup: opts.maxShadow ?? 2000 });

    let random = opts.randomInit;
    const ownRandom = !random;
    if (!random) random = { spec: model.spec, params: initParams(model.spec, { seed: seed + 1 }), buffers: initBuffers(model.spec) };
    let z: number;
    try {
      z = zrf(forget.logits, cachedOutputs(random, sets.forget, bs));
    } finally {
      if (ownRandom) tf.dispose([...random.params, ...random.buffers]);
    }

    const metrics: ModelMetrics = {
      forgetAcc: acc.forgetAcc,
      retainAcc: acc.retainAcc,
      testAcc: acc.testAcc,
      testForgetAcc: acc.testForgetAcc,
      testRetainAcc: acc.testRetainAcc,
      UA: acc.UA,
      RA: acc.RA,
      TA: acc.TA,
      lrMia: lr.accuracy,
      svcMia: svc.efficacy,
      entropyMia: ent.accuracy,
      zrf: z,
    };
    if (opts.gold) {
      const g = cachedOutputs(opts.gold, sets.forget, bs);
      metrics.jsToGold = jsDivergence(forget.logits, g);
      metrics.activationDistanceToGold = activationDistance(forget.logits, g);
      metrics.weightDistanceToGold = weightDistance(model.params, opts.gold.params);
    }
    if ((opts.probe ?? true) && sets.forgetClasses && sets.forgetClasses.length > 0) {
      const feats = predictOutputs(model, sets.test, { batchSize: bs, penultimate: true });
      const p = probeRecoverability(feats, labelsOf(sets.test), { forgetClasses: sets.forgetClasses, numClasses: sets.numClasses, seed });
      metrics.probe = { forgetAuc: p.forgetAuc, forgetAccuracy: p.forgetAccuracy, retainAccuracy: p.retainAccuracy };
    }
    if (sets.feature) {
      const f = featureReliance(model, sets.feature);
      const g = opts.gold ? cachedModelMeasure(opts.gold, sets.feature, () => featureReliance(opts.gold as TrainedNet, sets.feature as FeatureProbeSets)) : undefined;
      metrics.feature = { ...f, ...(g && { accuracyGapToGold: Math.abs(f.accuracyGap - g.accuracyGap), attributionMassToGold: Math.abs(f.attributionMass - g.attributionMass) }) };
    }
    const membership = sets.conceptMembership;
    if ((opts.probe ?? true) && membership) {
      const c = conceptProbe(model, sets.test, membership, { seed, batchSize: bs });
      const g = opts.gold ? cachedModelMeasure(opts.gold, membership, () => conceptProbe(opts.gold as TrainedNet, sets.test, membership, { seed, batchSize: bs })) : undefined;
      metrics.concept = { ...c, ...(g && { aucToGold: Math.abs(c.auc - g.auc) }) };
    }
    if (opts.relearn) metrics.relearnSteps = await opts.relearn(model);
    return metrics;
  } finally {
    if (retainEval !== sets.retain) disposeDataset(retainEval);
  }
}
