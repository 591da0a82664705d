import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, createRng, tf } from '@metanet/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flat, flatFeaturizer, paramLayout } from '../../src/baselines/flat';
import { fitHyperparamColumns, hyperparamFeatures } from '../../src/baselines/hparams';
import {
  fitGmn,
  loadPredictor,
  MixedArchitectureError,
  predictionMethod,
  scorePredictions,
  splitZoo,
  targetOf,
  UnknownMethodError,
  type FitOptions,
  type ZooEntry,
  type ZooSplit,
} from '../../src/predict/index';
import { buildTinyZoo } from '../support/tiny-zoo';
import { toParameterGraph } from '@metanet/graph';
import { fitInputScaling, scaledGraphOf } from '../../src/predict/gmn-inputs';
import { edgeBatches, entryEdges } from '../../src/predict/gmn-predictor';
import { DEFAULT_PROBE_SEED, probeNodeFeatures } from '../../src/predict/probe-features';

let zoo: ZooEntry[];
let split: ZooSplit;
const root = mkdtempSync(join(tmpdir(), 'zoo-predict-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  zoo = await buildTinyZoo(80);
  split = splitZoo(zoo, { seed: 0 });
});

/** The same nets with their accuracies shuffled among them: the weights no longer tell the label. */
function shuffledLabels(entries: readonly ZooEntry[], seed: number): ZooEntry[] {
  const metrics = entries.map((e) => e.record.metrics);
  createRng(seed).shuffle(metrics);
  return entries.map((e, i) => ({ ...e, record: { ...e.record, metrics: metrics[i]! } }));
}

async function testTau(method: string, train: readonly ZooEntry[], val: readonly ZooEntry[], options: FitOptions): Promise<number> {
  const { predictor } = await predictionMethod(method).fit(train, val, options);
  try {
    return scorePredictions(Float32Array.from(split.test, targetOf), predictor.predict(split.test)).tau;
  } finally {
    predictor.dispose();
  }
}

// Short fits: on this 32-net training split StatNN reaches τ ≈ 0.43 and hparams ≈ 0.65 (it reads the noise
// scale directly), where a shuffled-label control stays near 0. The flat MLP (832 inputs, 32 nets) reaches
// only τ ≈ 0.16 here, too close to chance for a control comparison; its own test is the architecture check.
const FAST: Record<string, FitOptions> = { statnn: { epochs: 15 }, gmn: { epochs: 12, batchSize: 8, lr: 3e-3 }, hparams: { epochs: 30 }, gbt: {} };

describe('accuracy predictors on a tiny zoo', () => {
  it('the zoo spans a range of accuracies', () => {
    const acc = split.test.map(targetOf);
    expect(Math.max(...acc) - Math.min(...acc)).toBeGreaterThan(0.3);
  });

  for (const method of ['statnn', 'gmn', 'hparams', 'gbt']) {
    it(`${method} ranks test nets and beats a shuffled-label control on τ`, async () => {
      const real = await testTau(method, split.train, split.val, FAST[method]!);
      const control = await testTau(method, shuffledLabels(split.train, 1), shuffledLabels(split.val, 2), FAST[method]!);
      expect(real).toBeGreaterThan(0.3);
      expect(real).toBeGreaterThan(control + 0.2);
    });
  }

  it('a saved predictor loads and predicts the same values (vector, GMN and GBT)', async () => {
    for (const method of ['statnn', 'gmn', 'gbt']) {
      const { predictor } = await predictionMethod(method).fit(split.train, split.val, { epochs: 2 });
      const dir = join(mkdtempSync(join(root, 'saved-')), method);
      predictor.save(dir);
      const loaded = loadPredictor(dir);
      expect(loaded.method).toBe(method);
      expect(Array.from(loaded.predict(split.test))).toEqual(Array.from(predictor.predict(split.test)));
      predictor.dispose();
      loaded.dispose();
    }
  });

  it('the hybrid GMN with no GMN epochs is StatNN: same seed, same test predictions', async () => {
    const stat = await predictionMethod('statnn').fit(split.train, split.val, { seed: 3 });
    const hybrid = await fitGmn(split.train, split.val, { seed: 3, epochs: 0, readout: 'statnn' });
    try {
      expect(hybrid.report.bestEpoch).toBe(stat.report.bestEpoch);
      const [a, b] = [stat.predictor.predict(split.test), hybrid.predictor.predict(split.test)];
      for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 5);
    } finally {
      stat.predictor.dispose();
      hybrid.predictor.dispose();
    }
  });

  it('edge-bounded batches: groups in order within both limits, a graph beyond the budget alone', () => {
    const sizes = zoo.map(entryEdges);
    const e = sizes[0]!;
    expect(sizes.every((n) => n === e)).toBe(true);
    const groups = edgeBatches(zoo.slice(0, 7), 3, 2 * e);
    expect(groups.map((g) => g.length)).toEqual([2, 2, 2, 1]);
    expect(groups.flat()).toEqual(zoo.slice(0, 7));
    expect(edgeBatches(zoo.slice(0, 5), 4, 10 * e).map((g) => g.length)).toEqual([4, 1]);
    expect(edgeBatches(zoo.slice(0, 3), 8, e - 1).map((g) => g.length)).toEqual([1, 1, 1]);
  });

  it('a fit whose batches are split by maxEdgesPerBatch takes the same steps as the unsplit fit', async () => {
    const e = entryEdges(zoo[0]!);
    const options = { seed: 2, statnnEpochs: 2, epochs: 2, patience: 2, readout: 'statnn' as const };
    const whole = await fitGmn(split.train, split.val, options);
    // Two graphs per part: every batch of 8 becomes four parts whose weighted gradients are summed.
    const parts = await fitGmn(split.train, split.val, { ...options, maxEdgesPerBatch: 2 * e });
    try {
      const [a, b] = [whole.predictor.predict(split.test), parts.predictor.predict(split.test)];
      expect(b.length).toBe(a.length);
      // The same gradients up to float32 summation order, through two epochs of Adam.
      for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 3);
      await expect(fitGmn(split.train, split.val, { ...options, maxEdgesPerBatch: 0 })).rejects.toThrow(/maxEdgesPerBatch=0/);
    } finally {
      whole.predictor.dispose();
      parts.predictor.dispose();
    }
  });

  it('with keepStatnn the hybrid keeps its StatNN unless the GMN phase scores a better val τ', async () => {
    const { report } = await fitGmn(split.train, split.val, { seed: 1, statnnEpochs: 5, epochs: 3, patience: 3, keepStatnn: true, readout: 'statnn' });
    const stat = await predictionMethod('statnn').fit(split.train, split.val, { seed: 1, epochs: 5 });
    stat.predictor.dispose();
    expect(report.epochsRun).toBe(8);
    expect(report.bestValTau).toBeGreaterThanOrEqual(stat.report.bestValTau);
  });

  it('the auto readout fits both readouts and keeps the one with the better val τ, bit for bit', async () => {
    const options = { seed: 4, statnnEpochs: 4, epochs: 3, patience: 3 };
    const before = tf.memory().numTensors;
    const seen: Array<{ epoch: number; epochs: number }> = [];
    const auto = await fitGmn(split.train, split.val, { ...options, onEpoch: (p) => seen.push({ epoch: p.epoch, epochs: p.epochs }) });
    // One progress total over both fits (4 StatNN + 3 hybrid + 3 scratch epochs), counting up.
    expect(new Set(seen.map((p) => p.epochs))).toEqual(new Set([10]));
    expect(seen.map((p) => p.epoch)).toEqual(seen.map((_, i) => i + 1));
    const hybrid = await fitGmn(split.train, split.val, { ...options, readout: 'statnn' });
    const scratch = await fitGmn(split.train, split.val, { ...options, readout: 'stats-mlp' });
    try {
      const winner = scratch.report.bestValTau > hybrid.report.bestValTau ? scratch : hybrid;
      expect(auto.report.choice).toBe(winner === scratch ? 'stats-mlp' : 'statnn');
      expect(auto.report.bestValTau).toBe(winner.report.bestValTau);
      expect(auto.report.epochsRun).toBe(hybrid.report.epochsRun + scratch.report.epochsRun);
      expect(Array.from(auto.predictor.predict(split.test))).toEqual(Array.from(winner.predictor.predict(split.test)));
      expect(hybrid.report.choice).toBeUndefined();
      expect(auto.report.bestEpoch).toBe(winner === scratch ? hybrid.report.epochsRun + scratch.report.bestEpoch : hybrid.report.bestEpoch);
    } finally {
      [auto, hybrid, scratch].forEach((f) => f.predictor.dispose());
    }
    // The candidate it dropped is freed: only the kept predictors held tensors, and they are disposed.
    expect(tf.memory().numTensors).toBe(before);
    // The hybrid's no-GMN control (embed 0) is a hybrid-only option: auto fits the hybrid alone.
    const control = await fitGmn(split.train, split.val, { seed: 4, statnnEpochs: 2, epochs: 1, embed: 0 });
    expect(control.report.choice).toBe('statnn');
    expect(control.report.epochsRun).toBe(3);
    control.predictor.dispose();
  });

  it('the earlier readout (z-scored statistics + MLP) stays reachable, and saves and loads', async () => {
    const { predictor, report } = await fitGmn(split.train, split.val, { readout: 'stats-mlp', epochs: 2 });
    expect(report.epochsRun).toBe(2);
    const dir = join(mkdtempSync(join(root, 'saved-')), 'gmn-stats-mlp');
    predictor.save(dir);
    const loaded = loadPredictor(dir);
    expect(Array.from(loaded.predict(split.test))).toEqual(Array.from(predictor.predict(split.test)));
    predictor.dispose();
    loaded.dispose();
  });

  it('with probes the GMN reads probe node features, saves them with its scaling and loads to the same predictions; a bad count is refused', async () => {
    const { predictor } = await fitGmn(split.train, split.val, { probes: 4, epochs: 1, statnnEpochs: 2, readout: 'statnn' });
    const dir = join(mkdtempSync(join(root, 'saved-')), 'gmn-probes');
    predictor.save(dir);
    const loaded = loadPredictor(dir);
    const a = Array.from(predictor.predict(split.test));
    expect(Array.from(loaded.predict(split.test))).toEqual(a);
    predictor.dispose();
    loaded.dispose();
    // The graphs it reads carry each net's probe features (what mpnn's tests show a GMN responds to).
    const scaling = { ...fitInputScaling(split.train), probes: { count: 4, seed: DEFAULT_PROBE_SEED } };
    const e = split.test[0]!;
    expect(scaledGraphOf(e, scaling).nodeExtra).toEqual(probeNodeFeatures(e.net, toParameterGraph(e.net.spec, e.net.params), scaling.probes));
    await expect(fitGmn(split.train, split.val, { probes: 2.5, epochs: 1 })).rejects.toThrow(/probes=2\.5/);
    await expect(fitGmn(split.train, split.val, { probeInputs: new Float32Array(4), epochs: 1 })).rejects.toThrow(/probeInputs without probes/);
  });

  it('an unknown method is a typed error naming the known ones', () => {
    expect(() => predictionMethod('xgb')).toThrow(UnknownMethodError);
    expect(() => predictionMethod('xgb')).toThrow(/statnn/);
  });
});

describe('flat weights', () => {
  it('refuses a zoo of two architectures', async () => {
    const mixed = await buildTinyZoo(2, [8, 24]);
    const finals = mixed.filter((e) => e.record.final);
    await expect(flat.fit(finals, finals, { epochs: 1 })).rejects.toThrow(MixedArchitectureError);
  });

  it('lines up nets that differ only in activation or dropout, as in a small-cnn zoo', async () => {
    const [entry] = (await buildTinyZoo(1, [8])).filter((e) => e.record.final);
    const retyped = (fn: 'tanh' | 'relu'): ZooEntry => ({
      ...entry!,
      net: { ...entry!.net, spec: { ...entry!.net.spec, layers: entry!.net.spec.layers.map((l) => (l.type === 'activation' ? { ...l, fn } : l)) } },
    });
    expect(paramLayout(retyped('tanh'))).toBe(paramLayout(entry!));
    expect(paramLayout(retyped('tanh'))).toMatch(/weight:\d+x/);
    // The flat features of such nets have one column per weight.
    const featurizer = flatFeaturizer(paramLayout(entry!));
    const width = entry!.net.params.reduce((n, p) => n + p.length, 0);
    const m = featurizer.features([entry!, retyped('tanh')]);
    expect([m.rows, m.cols]).toEqual([2, width]);
    expect(m.data.subarray(width, 2 * width)).toEqual(m.data.subarray(0, width));
    const [wider] = (await buildTinyZoo(1, [24])).filter((e) => e.record.final);
    expect(paramLayout(wider!)).not.toBe(paramLayout(entry!));
  });
});

describe('hyperparameter features', () => {
  it('one-hot the categories, take log10 of a log-uniform number, keep the others linear', () => {
    const columns = fitHyperparamColumns(split.train);
    const byKey = Object.fromEntries(columns.map((c) => [c.key, c.kind]));
    expect(byKey).toEqual({ activation: 'onehot', lr: 'log', noise: 'linear', width: 'linear' });
    const e = split.train[0]!;
    const f = Array.from(hyperparamFeatures(e, columns));
    expect(f[0]).toBe(1); // activation: the one value 'relu'
    expect(f[1]).toBeCloseTo(Math.log10(e.record.hparams.lr as number), 6);
    expect(f[2]).toBeCloseTo(e.record.hparams.noise as number, 6);
    expect(f[3]).toBe(12);
  });
});
