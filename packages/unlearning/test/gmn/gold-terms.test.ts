import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@metanet/tensor';
import { classSpecificGold, featureToGold, weightTarget, weightToGold } from '../../src/gmn/gold-terms';
import { InvalidHyperparameterError } from '../../src/errors';
import { trainEditor } from '../../src/gmn/train';
import { applyEditor } from '../../src/gmn/editor';
import { shapes } from '../fixtures';
import { disposeNet, initNet, paramsMoved, scalar, tinySmallCnn } from './helpers';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('same-basis gold terms', () => {
  it('the weight term is the mean per-tensor normalised squared distance: 1 unedited, 0 at gold', () => {
    const w = [tf.tensor1d([1, 2, 3]), tf.tensor2d([[0, 0], [1, 1]])];
    const gold = [tf.tensor1d([1, 2, 5]), tf.tensor2d([[1, 0], [1, -1]])];
    const target = weightTarget(w, gold);
    // ‖w − w*‖² = 4 and 1 + 4 = 5.
    expect(target.invSq).toEqual([1 / 4, 1 / 5]);
    expect(scalar(weightToGold(w, target))).toBeCloseTo(1, 6);
    expect(scalar(weightToGold(gold, target))).toBe(0);
    // Halfway to gold on both tensors: each ratio is 1/4.
    const half = [tf.tensor1d([1, 2, 4]), tf.tensor2d([[0.5, 0], [1, 0]])];
    expect(scalar(weightToGold(half, target))).toBeCloseTo(0.25, 6);
    // Only the first tensor moved, to gold: (0 + 1) / 2.
    const first = [gold[0]!, w[1]!];
    expect(scalar(weightToGold(first, target))).toBeCloseTo(0.5, 6);
    tf.dispose([...w, ...gold, ...half]);
  });

  it('a tensor gold left unchanged is skipped, not divided by zero', () => {
    const w = [tf.tensor1d([1, 2]), tf.tensor1d([3])];
    const gold = [tf.tensor1d([1, 4]), tf.tensor1d([3])];
    const target = weightTarget(w, gold);
    expect(target.invSq).toEqual([1 / 4, 0]);
    expect(scalar(weightToGold(w, target))).toBeCloseTo(1, 6);
    tf.dispose([...w, ...gold]);
  });

  it('the class-specific target is w plus gold\'s own move minus the mean gold move: 0 when w + Δw hits it', () => {
    const w = [tf.tensor1d([0, 0]), tf.tensor1d([1])];
    const golds = [
      [tf.tensor1d([2, 0]), tf.tensor1d([3])],
      [tf.tensor1d([0, 2]), tf.tensor1d([3])],
    ];
    // Mean gold (1, 1) and 3: gold 0's own part is (1, −1), and the shared move (1, 1), +2 is drift.
    const t0 = classSpecificGold(w, golds, 0);
    expect(Array.from(t0[0]!.dataSync())).toEqual([1, -1]);
    expect(Array.from(t0[1]!.dataSync())).toEqual([1]);
    const t1 = classSpecificGold(w, golds, 1);
    expect(Array.from(t1[0]!.dataSync())).toEqual([-1, 1]);
    // Half the drift kept: (1, −1) + (0.5, 0.5); all of it gives gold back.
    const half = classSpecificGold(w, golds, 0, 0.5);
    expect(Array.from(half[0]!.dataSync())).toEqual([1.5, -0.5]);
    const full = classSpecificGold(w, golds, 0, 1);
    expect(Array.from(full[0]!.dataSync())).toEqual([2, 0]);
    const target = weightTarget(w, t0);
    // The bias's golds agree, so it has no class-specific part: skipped, not divided by zero.
    expect(target.invSq).toEqual([1 / 2, 0]);
    expect(scalar(weightToGold(w, target))).toBeCloseTo(1, 6);
    expect(scalar(weightToGold(t0, target))).toBe(0);
    // Here gold 0's extra move is all drift, so gold 0 is as far from the target as w is.
    expect(scalar(weightToGold(golds[0]!, target))).toBeCloseTo(1, 6);
    expect(() => classSpecificGold(w, golds.slice(0, 1), 0)).toThrow(InvalidHyperparameterError);
    expect(() => classSpecificGold(w, golds, 2)).toThrow(InvalidHyperparameterError);
    tf.dispose([...w, ...golds.flat(), ...t0, ...t1, ...half, ...full]);
  });

  it('trainEditor with weightDrift 0 moves an identity editor toward the class-specific target and needs 2 golds per net', () => {
    const ds = shapes(64, 3);
    const net = initNet(tinySmallCnn(6), 1);
    const gold1 = initNet(tinySmallCnn(6), 2);
    const gold2 = initNet(tinySmallCnn(6), 3);
    const loss = { retain: 0, forget: 0, deletion: 0, relearn: 0, cka: 0, weight: 1, weightDrift: 0 };
    const gold = [{ net: 0, forgetClass: 1, model: gold1 }, { net: 0, forgetClass: 2, model: gold2 }];
    const r = trainEditor({ nets: [net], gold, dataset: ds, numClasses: 4, classes: [1, 2], steps: 12, lr: 1e-2, seed: 0, loss });
    const first = r.history[0]!.weightToGold;
    expect(first).toBeCloseTo(1, 6);
    expect(r.history[r.history.length - 1]!.weightToGold).toBeLessThan(first * 0.95);
    expect(() => trainEditor({ nets: [net], gold: gold.slice(0, 1), dataset: ds, numClasses: 4, classes: [1], steps: 1, seed: 0, loss })).toThrow(InvalidHyperparameterError);
    r.editor.dispose();
    [net, gold1, gold2].forEach(disposeNet);
  });

  it('the feature term is the MSE in units of gold\'s per-unit std, and 0 at gold', () => {
    // Gold's units: std 1 (values 1, -1) and std 10 (values 10, -10).
    const gold = tf.tensor2d([[1, 10], [-1, -10]]);
    const edited = tf.tensor2d([[2, 10], [-1, 0]]);
    // ((1/1)² + 0 + 0 + (10/10)²) / 4 = 0.5, with the floor (a hundredth of the mean variance, 50.5) on each variance.
    const sd = [Math.sqrt(1 + 0.505), Math.sqrt(100 + 0.505)];
    const expected = ((1 / sd[0]!) ** 2 + (10 / sd[1]!) ** 2) / 4;
    expect(expected).toBeGreaterThan(0.3);
    expect(scalar(featureToGold(edited, gold))).toBeCloseTo(expected, 5);
    expect(scalar(featureToGold(gold, gold))).toBe(0);
    // A unit dead in gold's batch does not blow the term up.
    const deadGold = tf.tensor2d([[1, 0], [-1, 0]]);
    expect(scalar(featureToGold(tf.tensor2d([[1, 1], [-1, 1]]), deadGold))).toBeLessThan(200);
    tf.dispose([gold, edited, deadGold]);
  });

  it('each term alone moves an identity editor toward gold (its gradient reaches the editor)', () => {
    const ds = shapes(64, 3);
    const net = initNet(tinySmallCnn(6), 1);
    const gold = initNet(tinySmallCnn(6), 2);
    const off = { retain: 0, forget: 0, deletion: 0, relearn: 0, cka: 0 };
    for (const [term, loss] of [['weightToGold', { weight: 1 }], ['featureToGold', { feature: 1 }]] as const) {
      const r = trainEditor({ nets: [net], gold: [{ net: 0, forgetClass: 1, model: gold }], dataset: ds, numClasses: 4, classes: [1], steps: 12, lr: 1e-2, seed: 0, loss: { ...off, ...loss } });
      const first = r.history[0]![term];
      const last = r.history[r.history.length - 1]![term];
      if (term === 'weightToGold') expect(first).toBeCloseTo(1, 6); // the identity edit
      expect(first).toBeGreaterThan(0);
      expect(last).toBeLessThan(first * 0.95);
      r.editor.dispose();
    }
    disposeNet(net);
    disposeNet(gold);
  });

  it('the forget-rows feature term alone moves an identity editor', () => {
    const ds = shapes(64, 3);
    const net = initNet(tinySmallCnn(6), 1);
    const gold = initNet(tinySmallCnn(6), 2);
    const r = trainEditor({ nets: [net], gold: [{ net: 0, forgetClass: 1, model: gold }], dataset: ds, numClasses: 4, classes: [1], steps: 2, lr: 1e-2, seed: 0, loss: { retain: 0, forget: 0, deletion: 0, relearn: 0, cka: 0, featureForget: 1 } });
    const edited = applyEditor(r.editor, net, [1]);
    expect(paramsMoved(edited, net)).toBe(true);
    // With every term off the editor stays the identity: the movement is the term's.
    const still = trainEditor({ nets: [net], gold: [{ net: 0, forgetClass: 1, model: gold }], dataset: ds, numClasses: 4, classes: [1], steps: 2, lr: 1e-2, seed: 0, loss: { retain: 0, forget: 0, deletion: 0, relearn: 0, cka: 0 } });
    const same = applyEditor(still.editor, net, [1]);
    expect(same.params.every((p, k) => p.dataSync().every((v, i) => v === net.params[k]!.dataSync()[i]))).toBe(true);
    [edited, same, net, gold].forEach(disposeNet);
    r.editor.dispose();
    still.editor.dispose();
  });
});
