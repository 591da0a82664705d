import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '@metanet/tensor';
import { syntheticShapes } from '@metanet/data';
import { architecture, findHead, randomHiddenPermutation } from '@metanet/spec';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, forward, headOutputs, initParams, InvalidTrainingOptionsError, loadNet, netLoss, permuteHidden, predictClasses, saveNet, train } from '../src/index';
import { setupBackend } from './support/backend';

beforeAll(async () => {
  await setupBackend();
});

// Six classes, grouped into three pairs: head `pair` learns the pair, head `label` the class.
const PAIRS = [0, 0, 1, 1, 2, 2];
const spec = architecture('small-cnn', { width: 6, inputSize: 12, heads: ['label', { name: 'pair', units: 3, labelMap: PAIRS }], classes: 6 });
const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);

describe('multi-head nets', () => {
  it('forward gives one slice of logits per head, the label head first', () => {
    const params = initParams(spec, { seed: 1 });
    const x = tf.randomNormal([4, 12, 12, 1], 0, 1, 'float32', 2);
    const out = forward(spec, params, x);
    const heads = headOutputs(spec, out);
    expect(out.shape).toEqual([4, 9]);
    expect(Object.keys(heads)).toEqual(['label', 'pair']);
    expect(heads.label?.shape).toEqual([4, 6]);
    expect(heads.pair?.shape).toEqual([4, 3]);
    expect(maxDiff(heads.pair as tf.Tensor, tf.slice(out, [0, 6], [4, 3]))).toBe(0);
    expect(headOutputs(architecture('small-cnn'), out)).toEqual({});
  });

  it('the loss is the weighted sum of per-head cross-entropies on mapped labels', () => {
    const out = tf.tensor2d([[2, 0, 0, 0, 0, 0, 0, 1, 0], [0, 0, 0, 3, 0, 0, 0, 0, 1]]);
    const y = tf.tensor1d([0, 3], 'int32');
    const ce = (row: number[], k: number): number => -(row[k] as number) + Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
    const labelCe = (ce([2, 0, 0, 0, 0, 0], 0) + ce([0, 0, 0, 3, 0, 0], 3)) / 2;
    // Pair labels of classes 0 and 3 are 0 and 1.
    const pairCe = (ce([0, 1, 0], 0) + ce([0, 0, 1], 1)) / 2;
    expect(netLoss(spec, out, y).dataSync()[0]).toBeCloseTo(labelCe + pairCe, 5);
    expect(netLoss(spec, out, y, { pair: 0.5 }).dataSync()[0]).toBeCloseTo(labelCe + 0.5 * pairCe, 5);
    expect(netLoss(spec, out, y, { label: 0 }).dataSync()[0]).toBeCloseTo(pairCe, 5);
  });

  it('trains both heads above chance; a head of weight 0 keeps its initial rows exactly', async () => {
    const ds = syntheticShapes({ n: 384, seed: 3, size: 12, classes: 6 });
    const init = initParams(spec, { seed: 4 });
    const both = await train(spec, init, ds, { epochs: 6, batchSize: 32, lr: 0.01, seed: 5 });
    const ev = evaluate(spec, both.params, ds);
    expect(ev.headAccuracy?.label).toBeGreaterThan(0.5); // chance 1/6
    expect(ev.headAccuracy?.pair).toBeGreaterThan(0.6); // chance 1/3
    expect(ev.accuracy).toBe(ev.headAccuracy?.label);
    expect([...predictClasses(spec, both.params, ds.images)].every((c) => c >= 0 && c < 6)).toBe(true);

    const onlyLabel = await train(spec, init, ds, { epochs: 1, batchSize: 64, lr: 0.01, seed: 5, headWeights: { pair: 0 } });
    const h = findHead(spec, 'pair');
    const rows = (t: tf.Tensor): tf.Tensor => (t.rank === 2 ? tf.slice(t, [h.start, 0], [h.units, -1]) : tf.slice(t, [h.start], [h.units]));
    const [w0, b0] = init.slice(-2) as [tf.Tensor, tf.Tensor];
    const [w1, b1] = onlyLabel.params.slice(-2) as [tf.Tensor, tf.Tensor];
    expect(maxDiff(rows(w0), rows(w1))).toBe(0);
    expect(maxDiff(rows(b0), rows(b1))).toBe(0);
    // ... while the label head's rows and the trunk moved.
    expect(maxDiff(tf.slice(w0, [0, 0], [6, -1]), tf.slice(w1, [0, 0], [6, -1]))).toBeGreaterThan(0);
    expect(maxDiff(init[0] as tf.Tensor, onlyLabel.params[0] as tf.Tensor)).toBeGreaterThan(0);
  });

  it('rejects head weights for heads the net lacks', async () => {
    const ds = syntheticShapes({ n: 8, seed: 3, size: 12, classes: 6 });
    await expect(train(spec, initParams(spec, { seed: 1 }), ds, { epochs: 1, headWeights: { group: 1 } })).rejects.toThrow(InvalidTrainingOptionsError);
    await expect(train(spec, initParams(spec, { seed: 1 }), ds, { epochs: 1, headWeights: { pair: -1 } })).rejects.toThrow(/headWeights.pair must be a finite number ≥ 0/);
  });

  it('saves and loads the heads with the net', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mh-'));
    try {
      const params = initParams(spec, { seed: 6 });
      saveNet(dir, { spec, params });
      const net = loadNet(dir);
      expect(net.spec.heads).toEqual(spec.heads);
      const x = tf.randomNormal([2, 12, 12, 1], 0, 1, 'float32', 7);
      expect(maxDiff(forward(spec, params, x), forward(net.spec, net.params, x))).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('permuting the trunk keeps every head output; the head rows are not permuted', () => {
    const params = initParams(spec, { seed: 8, scheme: 'he' });
    const perms = randomHiddenPermutation(spec, 9);
    const p = permuteHidden(spec, params, perms);
    const x = tf.randomNormal([3, 12, 12, 1], 0, 1, 'float32', 10);
    const a = headOutputs(spec, forward(spec, params, x));
    const b = headOutputs(spec, forward(spec, p.params, x));
    for (const name of ['label', 'pair']) expect(maxDiff(a[name] as tf.Tensor, b[name] as tf.Tensor)).toBeLessThan(1e-5);
    // The output bias is untouched; the conv weights moved.
    expect(maxDiff(params.at(-1) as tf.Tensor, p.params.at(-1) as tf.Tensor)).toBe(0);
    expect(maxDiff(params[0] as tf.Tensor, p.params[0] as tf.Tensor)).toBeGreaterThan(0);
  });
});
