// Real Fashion-MNIST (Debian package dataset-fashion-mnist, installed by CI): the trigger,
// feature and concept requests end to end on a small MLP, with real assertions that the
// methods move the request's own measure toward gold's. Small sizes (2,000 training images,
// 3 epochs); the tables with every method are packages/unlearning/results/requests/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@metanet/tensor';
import { disposeDataset, loadFashionMnist, type Dataset } from '@metanet/data';
import { initParams, train } from '@metanet/nets';
import { architecture } from '@metanet/spec';
import { buildRequest } from '../src/requests/build';
import { parseRequest } from '../src/requests/parse';
import { evaluateModel, evaluationSets, type ModelMetrics } from '../src/evaluate';
import { getMethod } from '../src/registry';
import type { RequestSets } from '../src/requests/types';
import type { TrainedNet } from '../src/types';
import { disposeNet } from './fixtures';

const RECIPE = { batchSize: 64, lr: 1e-3, optimizer: 'adam' as const, epochs: 3 };
const spec = architecture('mlp:784-64-10');
let data: { train: Dataset; test: Dataset };

beforeAll(async () => {
  // The default backend (wasm, with metanet's kernels): the cpu backend the unit tests use is ~10× slower at this size.
  await initBackend();
  data = { train: await loadFashionMnist({ split: 'train', limit: 2000 }), test: await loadFashionMnist({ split: 'test', limit: 1000 }) };
}, 120_000);
afterAll(() => {
  disposeDataset(data.train);
  disposeDataset(data.test);
});

async function fit(ds: Dataset): Promise<TrainedNet> {
  const init = initParams(spec, { seed: 0 });
  const r = await train(spec, init, ds, { ...RECIPE, seed: 0 });
  tf.dispose(init);
  return { spec, params: r.params, buffers: r.buffers };
}

/** Original (on the request's training set), gold (retrained on D_r) and each method, scored. */
async function run(sets: RequestSets, methods: string[]): Promise<Record<string, ModelMetrics>> {
  const ev = evaluationSets(sets);
  const original = await fit(sets.train.full);
  const gold = await fit(sets.train.retain);
  const out: Record<string, ModelMetrics> = {};
  try {
    out.original = await evaluateModel(original, ev, { gold, maxShadow: 300, maxRetain: 1000 });
    out.gold = await evaluateModel(gold, ev, { gold, maxShadow: 300, maxRetain: 1000 });
    for (const m of methods) {
      const r = await getMethod(m).run({ model: original, forget: ev.forget, retain: ev.retain, numClasses: 10, seed: 0, ...(ev.requestKind && { requestKind: ev.requestKind }), ...(ev.forgetClasses && { forgetClasses: ev.forgetClasses }) });
      out[m] = await evaluateModel(r.model, ev, { gold, maxShadow: 300, maxRetain: 1000 });
      disposeNet(r.model);
    }
  } finally {
    disposeNet(original);
    disposeNet(gold);
  }
  return out;
}

describe('request kinds on real Fashion-MNIST', () => {
  it('trigger: ft and neggrad-plus lower the attack success rate toward gold\'s', async () => {
    const sets = buildRequest(parseRequest('trigger:0.05:0'), data, 0);
    const m = await run(sets, ['ft', 'neggrad-plus']);
    sets.dispose();
    // The attack success rate is the accuracy on patched other-class test images labelled with the target.
    const asr = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.testForgetAcc as number]));
    console.log(JSON.stringify({ triggerAsr: asr }));
    // Measured (wasm): original 82.6, gold 1.8, ft 71.7, neggrad-plus 72.3. With their default budgets the
    // methods remove only part of the backdoor; each must lower the ASR by at least 5 points toward gold's.
    expect(asr.original! - asr.gold!).toBeGreaterThan(20);
    for (const k of ['ft', 'neggrad-plus']) {
      expect(asr[k]!, k).toBeLessThan(asr.original! - 5);
      expect(asr[k]!, k).toBeGreaterThanOrEqual(asr.gold! - 5);
    }
  }, 600_000);

  it('feature: the original relies on the watermark, gold does not; methods are scored against gold\'s reliance', async () => {
    const sets = buildRequest(parseRequest('feature:watermark:3:0.6'), data, 0);
    const m = await run(sets, ['ft', 'neggrad-plus']);
    sets.dispose();
    const rel = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.feature!]));
    console.log(JSON.stringify({ featureReliance: rel }));
    expect(rel.original!.accuracyGap - rel.gold!.accuracyGap).toBeGreaterThan(5);
    expect(rel.original!.attributionMass).toBeGreaterThan(rel.gold!.attributionMass);
    // Whether a method's default budget removes the reliance depends on the size (2,000 images: ft 17.9 → 14.9
    // points; 3,000: 18.7 → 21.7, results/requests/feature.md), so this asserts the scoring, not a method's success.
    for (const k of ['ft', 'neggrad-plus']) {
      expect(rel[k]!.accuracyGapToGold!, k).toBeCloseTo(Math.abs(rel[k]!.accuracyGap - rel.gold!.accuracyGap), 9);
      expect(rel[k]!.attributionMassToGold!, k).toBeCloseTo(Math.abs(rel[k]!.attributionMass - rel.gold!.attributionMass), 9);
      expect(m[k]!.testRetainAcc!, k).toBeGreaterThan(60);
    }
  }, 600_000);

  it('concept footwear: gold keeps the other classes, the membership probe is scored for every model', async () => {
    const sets = buildRequest(parseRequest('concept:footwear'), data, 0);
    expect(sets.forgetClasses).toEqual([5, 7, 9]);
    const m = await run(sets, ['ft', 'logit-mask']);
    sets.dispose();
    console.log(JSON.stringify({ concept: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { forget: v.forgetAcc, testRetain: v.testRetainAcc, probe: v.concept }])) }));
    expect(m.gold!.forgetAcc).toBe(0);
    expect(m.original!.forgetAcc).toBeGreaterThan(70);
    expect(m.gold!.testRetainAcc!).toBeGreaterThan(60);
    // logit-mask filters the outputs only: the features still tell footwear apart as well as the original's.
    expect(m['logit-mask']!.forgetAcc).toBe(0);
    expect(m['logit-mask']!.concept!.auc).toBeCloseTo(m.original!.concept!.auc, 6);
    for (const k of ['original', 'gold', 'ft', 'logit-mask']) expect(m[k]!.concept!.aucToGold, k).toBeDefined();
  }, 600_000);
});
