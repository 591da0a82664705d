import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@metanet/tensor';
import { labelsOf } from '@metanet/data';
import { accuracy, avgGap, entropyMia, formatMetricsTable, perSampleCrossEntropy, lossMia, svcMiaEfficacy } from '@metanet/metrics';
import { initBuffers, initParams } from '@metanet/nets';
import { evaluateModel, evaluationSets, gapMetrics, type EvaluationSets } from '../src/evaluate';
import { createRelearnHook } from '../src/relearn-hook';
import { buildRequest } from '../src/requests/build';
import { compareMethods, comparisonTable } from '../src/compare';
import { predictOutputs, penultimateNet } from '../src/predict';
import { retrain } from '../src/methods/retrain';
import { logitMask } from '../src/methods/logit-mask';
import { ft } from '../src/methods/ft';
import type { TrainedNet } from '../src/types';
import { classwiseFixture, disposeNet, freshNet, setup, tinyCnnSpec, type ClasswiseFixture } from './fixtures';
import { NetDatasetMismatchError } from '../src/errors';

let fx: ClasswiseFixture;
let sets: EvaluationSets;
let gold: TrainedNet;
let goldSeconds = 0;
let masked: TrainedNet;

beforeAll(async () => {
  await setup();
  fx = await classwiseFixture();
  // The fixture's test sets split by class; the full test set is their union.
  const test = { ...fx.testRetain, images: tf.concat([fx.testForget.images, fx.testRetain.images]) as tf.Tensor4D, labels: tf.concat([fx.testForget.labels, fx.testRetain.labels]) as tf.Tensor1D, name: 'test' };
  sets = { forget: fx.forget, retain: fx.retain, test, testForget: fx.testForget, testRetain: fx.testRetain, forgetClasses: [0], numClasses: 4 };
  const input = { model: fx.original, forget: fx.forget, retain: fx.retain, forgetClasses: [0], numClasses: 4, seed: 5 };
  const g = await retrain.run(input, { epochs: 8, batchSize: 32, lr: 3e-3 });
  gold = g.model;
  goldSeconds = g.seconds;
  masked = (await logitMask.run(input)).model;
});
afterAll(() => {
  disposeNet(gold);
  disposeNet(masked);
  tf.dispose([sets.test.images, sets.test.labels]);
  fx.dispose();
});

describe('evaluateModel', () => {
  it('computes accuracies and the LR-MIA exactly as metrics does on the same outputs', async () => {
    const m = await evaluateModel(fx.original, sets, { gold, seed: 1 });
    const acc = (ds: typeof fx.forget) => 100 * accuracy(predictOutputs(fx.original, ds), labelsOf(ds));
    expect(m.forgetAcc).toBeCloseTo(acc(fx.forget), 10);
    expect(m.retainAcc).toBeCloseTo(acc(fx.retain), 10);
    expect(m.testForgetAcc).toBeCloseTo(acc(fx.testForget), 10);
    expect(m.UA).toBeCloseTo(100 - m.forgetAcc, 10);
    const f = predictOutputs(fx.original, fx.forget);
    const t = predictOutputs(fx.original, fx.testRetain);
    const lr = lossMia(perSampleCrossEntropy(f, labelsOf(fx.forget)), perSampleCrossEntropy(t, labelsOf(fx.testRetain)), { seed: 1 });
    expect(m.lrMia).toBe(lr.accuracy);
    expect(m.svcMia).toBeGreaterThanOrEqual(0);
    expect(m.svcMia).toBeLessThanOrEqual(1);
    expect(m.jsToGold).toBeGreaterThan(0);
    expect(m.weightDistanceToGold).toBeGreaterThan(0);
    expect(m.probe?.forgetAuc).toBeGreaterThan(0.8);
  });

  it('gold has zero distance to itself; metrics are bit-identical across runs; nothing leaks', async () => {
    const before = tf.memory().numTensors;
    const a = await evaluateModel(gold, sets, { gold, seed: 2 });
    const b = await evaluateModel(gold, sets, { gold, seed: 2 });
    expect(a.jsToGold).toBeCloseTo(0, 12);
    expect(a.weightDistanceToGold).toBe(0);
    expect(a.activationDistanceToGold).toBeCloseTo(0, 12);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.forgetAcc).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('exposes filtering: logit-mask has 0 forget accuracy but the probe recovers the class exactly as from the original', async () => {
    const m = await evaluateModel(masked, sets, { gold, seed: 3 });
    const o = await evaluateModel(fx.original, sets, { gold, seed: 3 });
    expect(m.forgetAcc).toBe(0);
    expect(m.testForgetAcc).toBe(0);
    expect(o.forgetAcc).toBeGreaterThan(80);
    expect(m.probe).toEqual(o.probe);
    expect(m.probe?.forgetAuc).toBeGreaterThan(0.85);
    expect(m.retainAcc).toBeGreaterThanOrEqual(o.retainAcc);
  });

  it('scores the SVC MIA and the Avg Gap inputs exactly as metrics does on the same outputs', async () => {
    const m = await evaluateModel(fx.original, sets, { seed: 4, probe: false });
    const withLabels = (ds: typeof fx.forget) => ({ logits: predictOutputs(fx.original, ds), labels: labelsOf(ds) });
    const svc = await svcMiaEfficacy({ retain: withLabels(fx.retain), test: withLabels(sets.test), forget: withLabels(fx.forget) }, { seed: 4, maxPerGroup: 2000 });
    expect(m.svcMia).toBe(svc.efficacy);
    expect(gapMetrics(m)).toEqual({ UA: m.UA, RA: m.RA, TA: m.TA, MIA: 100 * svc.efficacy });
  });

  it('JS, activation distance, weight distance and ZRF equal values computed by hand from the outputs and weights', async () => {
    const m = await evaluateModel(masked, sets, { gold, seed: 1, probe: false });
    const probs = (model: TrainedNet): number[][] => {
      const o = predictOutputs(model, fx.forget);
      return Array.from({ length: o.rows }, (_, i) => {
        const row = Array.from(o.values.subarray(i * o.cols, (i + 1) * o.cols));
        const top = Math.max(...row);
        const e = row.map((v) => Math.exp(v - top));
        const z = e.reduce((a, b) => a + b, 0);
        return e.map((v) => v / z);
      });
    };
    const kl = (a: number[], b: number[]): number => a.reduce((s, ai, j) => (ai > 0 ? s + ai * Math.log(ai / b[j]!) : s), 0);
    const js = (a: number[], b: number[]): number => {
      const mid = a.map((ai, j) => (ai + b[j]!) / 2);
      return 0.5 * kl(a, mid) + 0.5 * kl(b, mid);
    };
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const pm = probs(masked);
    const pg = probs(gold);
    expect(m.jsToGold).toBeCloseTo(mean(pm.map((p, i) => js(p, pg[i]!))), 5);
    expect(m.activationDistanceToGold).toBeCloseTo(mean(pm.map((p, i) => Math.hypot(...p.map((v, j) => v - pg[i]![j]!)))), 5);
    let sq = 0;
    masked.params.forEach((w, k) => {
      const a = w.dataSync();
      const b = gold.params[k]!.dataSync();
      for (let i = 0; i < a.length; i++) sq += (a[i]! - b[i]!) ** 2;
    });
    expect(m.weightDistanceToGold).toBeCloseTo(Math.sqrt(sq), 2);
    // logit-mask's −1e4 bias on the forgotten class dominates its distance to gold.
    expect(m.weightDistanceToGold).toBeGreaterThan(9000);
    // ZRF: 1 − mean JS in bits against the random init evaluateModel uses (seed + 1).
    const random: TrainedNet = { spec: masked.spec, params: initParams(masked.spec, { seed: 2 }), buffers: initBuffers(masked.spec) };
    const pr = probs(random);
    expect(m.zrf).toBeCloseTo(1 - mean(pm.map((p, i) => js(p, pr[i]!))) / Math.LN2, 5);
    disposeNet(random);
  });

  it('SVC-MIA and the entropy MIA: 1 and the metrics value on hand-checkable inputs', async () => {
    // logit-mask gives D_f a true-class confidence of e^-1e4 = 0, below every member and non-member: all judged non-members.
    const m = await evaluateModel(masked, sets, { seed: 3, probe: false });
    expect(m.svcMia).toBe(1);
    // The entropy attack compares D_f against the test samples of the kept classes, with the same seed.
    const f = predictOutputs(masked, fx.forget);
    const t = predictOutputs(masked, fx.testRetain);
    expect(m.entropyMia).toBe(entropyMia(f, t, { seed: 3 }).accuracy);
    // On identical groups no attack beats chance by more than sampling noise.
    expect(entropyMia(t, t, { seed: 3 }).accuracy).toBeLessThanOrEqual(0.65);
    // logit-mask's D_f outputs are one-hot on another class (entropy 0) unlike test-retain's: the attack separates them.
    expect(m.entropyMia).toBeGreaterThan(0.6);
  });

  it('feeds formatMetricsTable and avgGap directly', async () => {
    const m = await evaluateModel(fx.original, sets, { seed: 5, probe: false });
    const row = { method: 'm', UA: m.UA, RA: m.RA, TA: m.TA, 'LR-MIA': m.lrMia, 'Avg Gap': avgGap(gapMetrics(m), gapMetrics(m)).avgGap };
    const table = formatMetricsTable([row], { format: 'plain' });
    expect(table.split('\n')[0]).toMatch(/^method +UA +RA +TA .* LR-MIA +Avg Gap$/);
    expect(table).toContain('0.00');
  });

  it('without test-retain samples the LR-MIA falls back to D_f vs the test set', async () => {
    const m = await evaluateModel(fx.original, { ...sets, testRetain: undefined }, { seed: 6, probe: false });
    const ce = (ds: typeof fx.forget) => perSampleCrossEntropy(predictOutputs(fx.original, ds), labelsOf(ds));
    expect(m.lrMia).toBe(lossMia(ce(fx.forget), ce(sets.test), { seed: 6 }).accuracy);
  });

  it('subsamples D_r with maxRetain, calls the relearn hook, and skips the probe without classes', async () => {
    let seen: TrainedNet | null = null;
    const m = await evaluateModel(fx.original, { ...sets, forgetClasses: undefined }, { maxRetain: 50, relearn: (model) => ((seen = model), 7) });
    expect(seen).toBe(fx.original);
    expect(m.relearnSteps).toBe(7);
    expect(m.probe).toBeUndefined();
    expect((m.retainAcc * 50) / 100).toBeCloseTo(Math.round((m.retainAcc * 50) / 100), 8);
  });
});

describe('createRelearnHook and evaluationSets', () => {
  it('relearns with one fixed recipe: gold needs more steps than the original, deterministically, without leaks', () => {
    const before = tf.memory().numTensors;
    const hook = createRelearnHook(sets, { seed: 1, maxSteps: 30, evalEvery: 2, target: 0.5 });
    const o = hook.relearn(fx.original);
    const g = hook.relearn(gold);
    expect(o).toBe(0); // the original already classifies class 0
    expect(g).toBeGreaterThan(0);
    expect(hook.relearn(gold)).toBe(g);
    hook.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('maps built request sets onto the harness sets', () => {
    const trainSet = { ...fx.retain, name: 'r' };
    const built = buildRequest({ kind: 'class', classes: [1] }, { train: trainSet, test: fx.testRetain }, 0);
    const ev = evaluationSets(built);
    expect(ev.forget).toBe(built.train.forget);
    expect(ev.retain).toBe(built.train.retain);
    expect(ev.test).toBe(fx.testRetain);
    expect(ev.testForget).toBe(built.test.forget);
    expect(ev.forgetClasses).toEqual([1]);
    expect(ev.numClasses).toBe(4);
    built.dispose();
  });
});

describe('penultimateNet', () => {
  it('drops the last dense layer and its params', () => {
    const net = freshNet(tinyCnnSpec(), 0);
    const p = penultimateNet(net);
    expect(p.spec.layers.length).toBe(net.spec.layers.length - 1);
    expect(p.params.length).toBe(net.params.length - 2);
    const feats = predictOutputs(net, fx.forget, { penultimate: true });
    expect(feats.cols).toBe(24);
    disposeNet(net);
    expect(() => penultimateNet({ spec: { input: [4], layers: [{ type: 'activation', fn: 'relu' }] }, params: [], buffers: [] })).toThrow(NetDatasetMismatchError);
  });
});

describe('compareMethods', () => {
  it('returns original and gold rows beside each method, with RTE and Avg Gap against gold', async () => {
    const names: string[] = [];
    const rows = await compareMethods({
      original: fx.original,
      gold: { model: gold, seconds: goldSeconds },
      methods: [ft, logitMask],
      hyperparameters: { ft: { epochs: 1, batchSize: 32 } },
      sets,
      seed: 0,
      onMethod: (n) => names.push(n),
    });
    expect(rows.map((r) => r.method)).toEqual(['original', 'retrain', 'ft', 'logit-mask']);
    expect(names).toEqual(['ft', 'logit-mask']);
    const [, g, f, lm] = rows;
    expect(g?.avgGap).toBe(0);
    expect(g?.rte).toBe(1);
    expect(f?.rte).toBeCloseTo((f?.seconds ?? 0) / goldSeconds, 12);
    expect(lm?.steps).toBe(0);
    expect(lm?.rte).toBeLessThan(0.1);
    const table = comparisonTable(rows);
    expect(table.split('\n')[0]).toMatch(/\| method +\| +forget \| +retain \|/);
    expect(table).toContain('logit-mask');
    expect(table.split('\n')).toHaveLength(2 + rows.length);
  });

  it('without gold: no gold row, Avg Gap or RTE; reports scoring and hands over each model before disposing it', async () => {
    const scoring: string[] = [];
    const seen: number[] = [];
    const rows = await compareMethods({
      original: fx.original,
      methods: [logitMask],
      sets,
      seed: 0,
      evaluate: { probe: false },
      onScore: (name, i, total) => scoring.push(`${name} ${i}/${total}`),
      onModel: (name, model) => {
        expect(name).toBe('logit-mask');
        seen.push((model.params[0] as tf.Tensor).isDisposed ? 0 : 1);
      },
    });
    expect(rows.map((r) => r.method)).toEqual(['original', 'logit-mask']);
    expect(rows.every((r) => r.avgGap === undefined && r.rte === undefined)).toBe(true);
    expect(scoring).toEqual(['original 0/2', 'logit-mask 1/2']);
    expect(seen).toEqual([1]);
  });

  it('a gold model of unknown duration gives Avg Gap but no RTE, under the gold label asked for', async () => {
    const rows = await compareMethods({ original: fx.original, gold: { model: gold }, goldLabel: 'retrain (gold)', methods: [logitMask], sets, seed: 0, evaluate: { probe: false } });
    expect(rows.map((r) => r.method)).toEqual(['original', 'retrain (gold)', 'logit-mask']);
    expect(rows[1]?.avgGap).toBe(0);
    expect(rows.every((r) => r.rte === undefined)).toBe(true);
    expect(rows[2]?.avgGap).toBeGreaterThan(0);
  });
});
