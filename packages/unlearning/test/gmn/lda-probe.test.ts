import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, initBackend, tf } from '@metanet/tensor';
import { ldaProbeRecall } from '../../src/gmn/lda-probe';
import { trainEditor } from '../../src/gmn/train';
import { applyEditor } from '../../src/gmn/editor';
import { shapes } from '../fixtures';
import { disposeNet, initNet, paramsMoved, scalar, tinySmallCnn, trainedNet } from './helpers';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** `perClass` Gaussian rows around each of `centres` (unit variance), and their one-hot labels. */
function blobs(centres: number[][], perClass: number, seed: number): { x: number[][]; onehot: number[][] } {
  const rng = createRng(seed);
  const x: number[][] = [];
  const onehot: number[][] = [];
  centres.forEach((c, k) => {
    for (let i = 0; i < perClass; i++) {
      x.push(c.map((v) => v + rng.normal()));
      onehot.push(centres.map((_, j) => (j === k ? 1 : 0)));
    }
  });
  return { x, onehot };
}

/** The same LDA by hand: class means, pooled covariance (+ ridge · mean eigenvalue), its exact inverse, mean posterior of cls. */
function ldaReference(x: number[][], onehot: number[][], cls: number, ridge: number): number {
  const n = x.length;
  const d = x[0]!.length;
  const k = onehot[0]!.length;
  const label = onehot.map((r) => r.indexOf(1));
  const means = Array.from({ length: k }, (_, c) => {
    const rows = x.filter((_, i) => label[i] === c);
    return Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
  });
  const s = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  x.forEach((r, i) => {
    const m = means[label[i]!]!;
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) s[a]![b]! += ((r[a]! - m[a]!) * (r[b]! - m[b]!)) / n;
  });
  const tr = s.reduce((t, row, a) => t + row[a]!, 0) / d;
  for (let a = 0; a < d; a++) s[a]![a]! += ridge * tr;
  // Gauss–Jordan inverse.
  const aug = s.map((row, a) => [...row, ...Array.from({ length: d }, (_, b) => (a === b ? 1 : 0))]);
  for (let col = 0; col < d; col++) {
    const piv = aug[col]![col]!;
    for (let j = 0; j < 2 * d; j++) aug[col]![j]! /= piv;
    for (let r = 0; r < d; r++) {
      if (r === col) continue;
      const f = aug[r]![col]!;
      for (let j = 0; j < 2 * d; j++) aug[r]![j]! -= f * aug[col]![j]!;
    }
  }
  const inv = aug.map((row) => row.slice(d));
  const score = (r: number[], m: number[]): number => {
    let v = 0;
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) v += inv[a]![b]! * m[b]! * (r[a]! - 0.5 * m[a]!);
    return v;
  };
  let total = 0;
  let count = 0;
  x.forEach((r, i) => {
    if (label[i] !== cls) return;
    const z = means.map((m) => score(r, m));
    const top = Math.max(...z);
    const e = z.map((v) => Math.exp(v - top));
    total += e[cls]! / e.reduce((a, v) => a + v, 0);
    count++;
  });
  return total / count;
}

describe('the LDA probe (the editor deletion term that reads the metric probe)', () => {
  it('equals the hand-computed LDA posterior, and ignores any invertible affine map of the features', () => {
    const { x, onehot } = blobs([[0, 0, 0], [1.5, 0, 0], [0, 2, 0], [0, 0, 3]], 20, 1);
    const ref = ldaReference(x, onehot, 1, 0.01);
    expect(ref).toBeGreaterThan(0.3);
    expect(ref).toBeLessThan(0.95);
    const oh = tf.tensor2d(onehot);
    expect(scalar(ldaProbeRecall(tf.tensor2d(x), oh, 1))).toBeCloseTo(ref, 4);
    // x ↦ xA + b, A well conditioned but far from orthogonal: the same posteriors (the ridge is
    // relative to the mean eigenvalue, so it is not exactly invariant; a tiny ridge is).
    const a = [[2, 0.5, 0], [0, 1, -0.7], [0.3, 0, 4]];
    const mapped = x.map((r) => a[0]!.map((_, j) => r.reduce((s, v, i) => s + v * a[i]![j]!, 0) + 5 * (j + 1)));
    const tiny = { ridge: 1e-6, iterations: 60 };
    expect(scalar(ldaProbeRecall(tf.tensor2d(mapped), oh, 1, tiny))).toBeCloseTo(scalar(ldaProbeRecall(tf.tensor2d(x), oh, 1, tiny)), 3);
    oh.dispose();
  });

  it('is near 1 for a well-separated class, near chance between two classes of one distribution, and its gradient merges them', () => {
    const far = blobs([[0, 0], [8, 0], [0, 8]], 30, 2);
    expect(scalar(ldaProbeRecall(tf.tensor2d(far.x), tf.tensor2d(far.onehot), 1))).toBeGreaterThan(0.99);
    // Classes 0 and 1 drawn around the same centre: neither is recoverable beyond a coin flip.
    const same = blobs([[0, 0], [0, 0], [0, 8]], 200, 3);
    const sameRecall = scalar(ldaProbeRecall(tf.tensor2d(same.x), tf.tensor2d(same.onehot), 1));
    expect(sameRecall).toBeGreaterThan(0.4);
    expect(sameRecall).toBeLessThan(0.65);
    // Gradient descent on the features lowers the recall of class 1 (normalised steps: the posteriors start saturated).
    const near = blobs([[0, 0], [3, 0], [0, 6]], 30, 4);
    const oh = tf.tensor2d(near.onehot);
    const feats = tf.variable(tf.tensor2d(near.x));
    const before = scalar(ldaProbeRecall(feats, oh, 1));
    const g = tf.grad((f: tf.Tensor) => ldaProbeRecall(f as tf.Tensor2D, oh, 1));
    for (let i = 0; i < 20; i++) {
      const grad = g(feats);
      expect(Number.isFinite(scalar(tf.sum(tf.abs(grad)) as tf.Scalar))).toBe(true);
      feats.assign(tf.sub(feats, tf.mul(tf.div(grad, tf.max(tf.abs(grad))), 0.3)) as tf.Tensor2D);
      grad.dispose();
    }
    expect(before).toBeGreaterThan(0.8);
    expect(scalar(ldaProbeRecall(feats, oh, 1))).toBeLessThan(before - 0.2);
    tf.dispose([oh, feats]);
  });

  it('as a loss term: the edited and gold recalls read the same labelled rows, the penalty is the one documented, and the editor moves', async () => {
    const ds = shapes(96, 4);
    const net = await trainedNet(tinySmallCnn(6), ds, 1, 3);
    const loss = { retain: 0, forget: 0, deletion: 0, relearn: 0, cka: 0, lda: 1, ldaMargin: -1, ldaPerClass: 6 };
    // The net as its own gold: an untrained editor is the identity, so both recalls are one number, and on a
    // trained net (rows aligned with their labels) it is well above chance (1 / 4).
    const self = trainEditor({ nets: [net], gold: [{ net: 0, forgetClass: 1, model: net }], dataset: ds, numClasses: 4, classes: [1], steps: 1, seed: 0, loss });
    const first = self.history[0]!;
    expect(first.lda).toBe(first.goldLda);
    expect(first.lda).toBeGreaterThan(0.5);
    // The margin −1 makes the penalty (lda − goldLda + 1)², so the total is exactly 1 here.
    expect(first.total).toBeCloseTo(1, 5);
    self.editor.dispose();
    const gold = initNet(tinySmallCnn(6), 2);
    const r = trainEditor({ nets: [net], gold: [{ net: 0, forgetClass: 1, model: gold }], dataset: ds, numClasses: 4, classes: [1], steps: 2, lr: 1e-2, seed: 0, loss });
    const h = r.history[0]!;
    expect(h.total).toBeCloseTo((h.lda - h.goldLda + 1) ** 2, 4);
    const edited = applyEditor(r.editor, net, [1]);
    expect(paramsMoved(edited, net)).toBe(true);
    expect(edited.params.every((p) => Array.from(p.dataSync()).every(Number.isFinite))).toBe(true);
    disposeNet(edited);
    r.editor.dispose();
    // Without gold the term is off: no probe rows, NaN recalls.
    const off = trainEditor({ nets: [net], dataset: ds, numClasses: 4, classes: [1], steps: 1, seed: 0, loss: { lda: 1 } });
    expect(Number.isNaN(off.history[0]!.lda)).toBe(true);
    off.editor.dispose();
    disposeNet(net);
    disposeNet(gold);
  });

  it('draws its rows from a stream of its own: with a zero penalty, training is the run without the term, step for step', async () => {
    const ds = shapes(96, 4);
    const net = initNet(tinySmallCnn(6), 3);
    const gold = initNet(tinySmallCnn(6), 4);
    const run = (lda: number): number[][] => {
      // ldaMargin 1 keeps relu(lda' − lda* − 1) at 0: the term is computed but adds nothing.
      const r = trainEditor({ nets: [net], gold: [{ net: 0, forgetClass: 2, model: gold }], dataset: ds, numClasses: 4, classes: [2], steps: 4, lr: 1e-2, seed: 5, loss: { lda, ldaMargin: 1, ldaPerClass: 4 } });
      r.editor.dispose();
      return r.history.map((p) => [p.total, p.retain, p.forget, p.probe, p.relearnProxy, p.cka]);
    };
    expect(run(1)).toEqual(run(0));
    disposeNet(net);
    disposeNet(gold);
  });

  it('trainEditor with the term leaves no tensor behind once the editor is disposed', () => {
    const ds = shapes(64, 4);
    const net = initNet(tinySmallCnn(6), 5);
    const gold = initNet(tinySmallCnn(6), 6);
    const before = tf.memory().numTensors;
    const r = trainEditor({ nets: [net], gold: [{ net: 0, forgetClass: 0, model: gold }], dataset: ds, numClasses: 4, classes: [0], steps: 3, seed: 0, config: { hidden: 8, layers: 1 }, loss: { lda: 1, ldaPerClass: 4 } });
    expect(r.history).toHaveLength(3);
    r.editor.dispose();
    expect(tf.memory().numTensors).toBe(before);
    disposeNet(net);
    disposeNet(gold);
  });

  it('refuses an ldaPerClass below 2 or fractional, with the fix named', () => {
    const ds = shapes(32, 4);
    const net = initNet(tinySmallCnn(6), 1);
    for (const ldaPerClass of [1, 2.5]) {
      expect(() => trainEditor({ nets: [net], gold: [{ net: 0, forgetClass: 1, model: net }], dataset: ds, numClasses: 4, steps: 1, loss: { lda: 1, ldaPerClass } })).toThrow(/ldaPerClass must be an integer >= 2/);
    }
    disposeNet(net);
  });
});
