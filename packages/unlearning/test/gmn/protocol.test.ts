/**
 * The editor's evaluation protocol on tiny synthetic nets: two held-out nets (one of an
 * unseen width) × two classes, gold retrained by each net's recipe, a briefly trained
 * editor and two fast baselines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@metanet/tensor';
import type { Dataset } from '@metanet/data';
import { trainEditor } from '../../src/gmn/train';
import type { GMNEditor } from '../../src/gmn/editor';
import { disposeGolds, runProtocol, type PairMetrics, type ProtocolResult } from '../../src/gmn/protocol';
import { trainGold, netWidth, type HeldOutNet, type ProtocolGold } from '../../src/gmn/protocol-gold';
import { getMethod } from '../../src/registry';
import { shapes } from '../fixtures';
import { disposeNet, tinySmallCnn, trainedNet } from './helpers';

const RECIPE = { epochs: 4, batchSize: 32, lr: 0.01, optimizer: 'adam' as const };
let trainSet: Dataset;
let testSet: Dataset;
let editor: GMNEditor;
let held: HeldOutNet[];
let golds: ProtocolGold[];
let result: ProtocolResult;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  trainSet = shapes(800, 1);
  testSet = shapes(400, 2);
  const trainNets = [await trainedNet(tinySmallCnn(6), trainSet, 100), await trainedNet(tinySmallCnn(7), trainSet, 101)];
  editor = trainEditor({ nets: trainNets, dataset: trainSet, numClasses: 4, steps: 20, lr: 3e-3, retainBatch: 32, forgetBatch: 32, seed: 1 }).editor;
  trainNets.forEach(disposeNet);
  held = [
    { id: 'seen-w6', group: 'unseen seeds', net: await trainedNet(tinySmallCnn(6), trainSet, 500), recipe: { ...RECIPE, seed: 500 } },
    { id: 'w9', group: 'unseen widths', net: await trainedNet(tinySmallCnn(9), trainSet, 501), recipe: { ...RECIPE, seed: 501 } },
  ];
  golds = [];
  for (const cls of [0, 2]) for (const h of held) golds.push(await trainGold(h, cls, trainSet));
  result = await runProtocol({
    editor,
    nets: held,
    golds,
    methods: [getMethod('logit-mask'), getMethod('ft')],
    hyperparameters: { ft: { epochs: 1 } },
    train: trainSet,
    test: testSet,
    classes: [0, 2],
    relearn: { maxSteps: 20, evalEvery: 2 },
    maxRetain: 5000,
    maxShadow: 200,
  });
});

afterAll(() => {
  held.forEach((h) => disposeNet(h.net));
  disposeGolds(golds);
  editor.dispose();
});

describe('GMN editor protocol', () => {
  it('scores every model on every pair, with every metric present and finite', () => {
    expect(result.pairs).toHaveLength(4);
    expect(netWidth(held[1]!.net)).toBe(9);
    for (const p of result.pairs) {
      expect(p.failed).toEqual([]);
      expect(p.rows.map((r) => r.method)).toEqual(['original', 'gold', 'gmn', 'logit-mask', 'ft']);
      for (const r of p.rows) {
        const keys = ['forgetAcc', 'retainAcc', 'testForgetAcc', 'testRetainAcc', 'lrMia', 'svcMia', 'jsToGold', 'probeAcc', 'probeAuc', 'avgGap', 'relearnSteps', 'ain', ...(r.role === 'original' ? [] : ['seconds', 'rte'])] as Array<keyof PairMetrics>;
        for (const k of keys) expect(Number.isFinite(r.metrics[k]), `${r.method} ${k} on ${p.net}/${p.forgetClass}`).toBe(true);
      }
    }
  });

  it("gold's gap to itself is 0, its AIN 1 and its RTE 1", () => {
    for (const p of result.pairs) {
      const gold = p.rows.find((r) => r.role === 'gold')!.metrics;
      expect(gold.avgGap).toBe(0);
      expect(gold.jsToGold).toBeCloseTo(0, 6);
      expect(gold.ain).toBe(1);
      expect(gold.rte).toBe(1);
      // The original saw the class: its gap to gold is not 0.
      expect(p.rows.find((r) => r.role === 'original')!.metrics.avgGap).toBeGreaterThan(0);
    }
  });

  it("the trade-off curve's scale-0 point is the original", () => {
    for (const p of result.pairs) {
      const original = p.rows.find((r) => r.role === 'original')!.metrics;
      const zero = p.curve.find((c) => c.scale === 0)!;
      expect(zero.forgetAcc).toBe(original.forgetAcc);
      expect(zero.retainAcc).toBe(original.retainAcc);
      // The edit at scale 1 differs from the original (the editor was trained).
      const one = p.curve.find((c) => c.scale === 1)!;
      expect(one.forgetAcc).not.toBe(zero.forgetAcc);
    }
  });

  it('summarises per group (all, unseen seeds, unseen widths), RTE per family and the curve per scale', () => {
    const groups = new Set(result.summary.rows.map((r) => r.group));
    expect([...groups]).toEqual(['all', 'unseen seeds', 'unseen widths']);
    const allGmn = result.summary.rows.find((r) => r.group === 'all' && r.method === 'gmn')!;
    expect(allGmn.metrics.forgetAcc!.n).toBe(4);
    expect(result.summary.rteByFamily.find((r) => r.method === 'gold')!.rte.mean).toBe(1);
    expect(result.summary.rteByFamily.some((r) => r.method === 'gmn' && r.rte.mean > 0)).toBe(true);
    expect(result.summary.curve.filter((c) => c.group === 'all').map((c) => c.scale)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25, 1.5]);
  });

  it('warms the editor up with untimed edits, reported apart; skipped when off, or when the editor cannot edit the net', async () => {
    expect(result.warmupSeconds).toBeGreaterThan(0);
    const base = { editor, nets: held.slice(0, 1), golds, methods: [], train: trainSet, test: testSet, classes: [0], relearn: false as const, scales: [1], maxRetain: 500, maxShadow: 100 };
    const off = await runProtocol({ ...base, warmup: false, editTimings: 1 });
    expect(off.warmupSeconds).toBeUndefined();
    expect(off.pairs[0]!.failed).toEqual([]);
    await expect(runProtocol({ ...base, warmup: false, editTimings: 0 })).rejects.toThrow(/editTimings=0/);
    // More timed edits change the editor's time only: the scored model is the first edit's.
    const timed = await runProtocol({ ...base, warmup: false, editTimings: 3 });
    const strip = (r: ProtocolResult) => r.pairs[0]!.rows.map((row) => ({ ...row, metrics: { ...row.metrics, seconds: 0, rte: 0 } }));
    expect(strip(timed)).toEqual(strip(off));
    expect(timed.pairs[0]!.rows.find((r) => r.role === 'editor')!.metrics.seconds).toBeGreaterThan(0);
    const family = editor.info.family;
    editor.info.family = 'mlp-of-another-family';
    try {
      // The warm-up's error is swallowed; the pair reports it as before.
      const mismatched = await runProtocol({ ...base, scales: [] });
      expect(mismatched.warmupSeconds).toBeUndefined();
      expect(mismatched.pairs[0]!.failed.map((f) => f.method)).toEqual(['gmn']);
    } finally {
      editor.info.family = family;
    }
  });
});
