import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@metanet/tensor';
import { linearCka, relearnProxy } from '../../src/gmn/deletion-terms';
import { trainEditor } from '../../src/gmn/train';
import { editorZooGold, editorZooRecipe, trainRecipe } from '../../src/gmn/editor-zoo';
import { applyEditor } from '../../src/gmn/editor';
import { InvalidHyperparameterError } from '../../src/errors';
import { shapes } from '../fixtures';
import { disposeNet, initNet, netBytes, paramsMoved, scalar, tinySmallCnn } from './helpers';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** CKA by its definition on Gram matrices: HSIC(K, L) / sqrt(HSIC(K, K) HSIC(L, L)), K = XXᵀ centred. */
function ckaReference(x: number[][], y: number[][]): number {
  const n = x.length;
  const gram = (m: number[][]): number[][] => m.map((a) => m.map((b) => a.reduce((s, v, i) => s + v * (b[i] as number), 0)));
  const centre = (k: number[][]): number[][] => {
    const row = k.map((r) => r.reduce((s, v) => s + v, 0) / n);
    const all = row.reduce((s, v) => s + v, 0) / n;
    return k.map((r, i) => r.map((v, j) => v - (row[i] as number) - (row[j] as number) + all));
  };
  const hsic = (a: number[][], b: number[][]): number => a.reduce((s, r, i) => s + r.reduce((t, v, j) => t + v * (b[i]![j] as number), 0), 0);
  const k = centre(gram(x));
  const l = centre(gram(y));
  return hsic(k, l) / Math.sqrt(hsic(k, k) * hsic(l, l));
}

describe('editor deletion terms', () => {
  it('linear CKA matches the Gram-matrix definition and ignores rotations and scale of either side', () => {
    const x = [[1, 2, 0], [0, 1, 3], [2, 2, 1], [1, 0, 1], [3, 1, 2]];
    const y = [[0.5, 1], [2, 0], [1, 1], [0, 3], [1, 2]];
    const ref = ckaReference(x, y);
    expect(ref).toBeGreaterThan(0.05);
    expect(ref).toBeLessThan(0.95);
    const got = scalar(linearCka(tf.tensor2d(x), tf.tensor2d(y)));
    expect(got).toBeCloseTo(ref, 5);
    expect(scalar(linearCka(tf.tensor2d(x), tf.tensor2d(x)))).toBeCloseTo(1, 5);
    // A rotation by 30° of y's two features, times 7: same CKA.
    const [c, s] = [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)];
    const yRot = y.map(([a, b]) => [7 * (c * a! - s * b!), 7 * (s * a! + c * b!)]);
    expect(scalar(linearCka(tf.tensor2d(x), tf.tensor2d(yRot)))).toBeCloseTo(ref, 4);
  });

  it('the relearn proxy is the class probability after hand-computed SGD steps of the head', () => {
    const h = [[1, 0], [0, 2]];
    const w = [[0.5, -0.5], [0, 0.25]];
    const b = [0.1, -0.2];
    const cls = 1;
    const softmax = (z: number[]): number[] => {
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const s = e.reduce((a, v) => a + v, 0);
      return e.map((v) => v / s);
    };
    const probs = (W: number[][], B: number[]): number[][] => h.map((r) => softmax(W.map((wr, k) => wr[0]! * r[0]! + wr[1]! * r[1]! + B[k]!)));
    const meanP = (W: number[][], B: number[]): number => probs(W, B).reduce((s, p) => s + p[cls]!, 0) / h.length;
    // Step size 1 / mean‖h‖² = 1 / 2.5 on W, 1 on b.
    const lrW = 1 / 2.5;
    let W = w.map((r) => [...r]);
    let B = [...b];
    for (let step = 0; step < 2; step++) {
      const g = probs(W, B).map((p) => p.map((v, k) => (v - (k === cls ? 1 : 0)) / h.length));
      W = W.map((r, k) => r.map((v, j) => v - lrW * g.reduce((s, gi, i) => s + gi[k]! * h[i]![j]!, 0)));
      B = B.map((v, k) => v - g.reduce((s, gi) => s + gi[k]!, 0));
    }
    const args = (): [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D] => [tf.tensor2d(h), tf.tensor2d(w), tf.tensor1d(b)];
    expect(scalar(relearnProxy(...args(), cls, { steps: 0 }))).toBeCloseTo(meanP(w, b), 6);
    expect(scalar(relearnProxy(...args(), cls, { steps: 2, lr: 1 }))).toBeCloseTo(meanP(W, B), 5);
    expect(meanP(W, B)).toBeGreaterThan(meanP(w, b) + 0.05);
  });

  it('the relearn and CKA terms alone move an identity editor (their gradient reaches it)', () => {
    const ds = shapes(64, 3);
    const net = initNet(tinySmallCnn(6), 1);
    const gold = initNet(tinySmallCnn(6), 2);
    for (const loss of [{ relearn: 1, cka: 0 }, { relearn: 0, cka: 1 }]) {
      const r = trainEditor({ nets: [net], gold: [{ net: 0, forgetClass: 1, model: gold }], dataset: ds, numClasses: 4, classes: [1], steps: 2, lr: 1e-2, seed: 0, loss: { retain: 0, forget: 0, deletion: 0, ...loss } });
      expect(Number.isFinite(r.history[0]!.relearnProxy)).toBe(true);
      expect(r.history[0]!.cka).toBeGreaterThan(0);
      const edited = applyEditor(r.editor, net, [1]);
      expect(paramsMoved(edited, net)).toBe(true);
      disposeNet(edited);
      r.editor.dispose();
    }
    disposeNet(net);
    disposeNet(gold);
  });

  it('gold is the recipe retrained without the class: deterministic, and not the original', async () => {
    const ds = shapes(96, 4);
    const recipe = { ...editorZooRecipe(0, 0, 1, [4, 4]) };
    const a = await editorZooGold(recipe, ds, 2);
    const b = await editorZooGold(recipe, ds, 2);
    expect(netBytes(a)).toEqual(netBytes(b));
    const original = await trainRecipe(recipe, ds);
    expect(netBytes(a)).not.toEqual(netBytes(original));
    expect(a.params.length).toBe(original.params.length);
    await expect(editorZooGold(recipe, ds, 9)).rejects.toThrow(InvalidHyperparameterError);
    [a, b, original].forEach(disposeNet);
  });
});
