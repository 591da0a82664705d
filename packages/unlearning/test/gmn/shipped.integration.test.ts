// Real Fashion-MNIST (Debian package dataset-fashion-mnist, installed by CI): the editor shipped in
// editors/small-cnn-fashion-mnist on a net of a recipe it never saw (zoo seed 7), trained as its
// training nets were (all 60,000 images, 3 epochs), forgetting class 0 in one forward pass.
// The held-out tables are in results/gmn-realistic/ and the bench's full gmn-unlearning section.
import { disposeDataset, labelsOf, loadFashionMnist, subsetDataset, type Dataset } from '@metanet/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEditor, architectureFamily, editorZooGold, editorZooRecipe, loadShippedEditor, shippedEditorDir, trainRecipe } from '../../src/gmn/index';
import { MissingEditorError } from '../../src/gmn/errors';
import { relearnSlice, relearnTime } from '../../src/relearn';
import type { TrainedNet } from '../../src/types';
import { accuracyOn, setup } from '../fixtures';
import { disposeNet, netBytes } from './helpers';

const FORGET = 0;
let train: Dataset;
let trainForget: Dataset;
let testForget: Dataset;
let testRetain: Dataset;
let original: TrainedNet;
let gold: TrainedNet;

/** Accuracy in % (the package fixtures' `accuracyOn` is 0..1). */
const accuracy = (net: TrainedNet, ds: Dataset): number => 100 * accuracyOn(net, ds);

beforeAll(async () => {
  await setup();
  train = await loadFashionMnist({ split: 'train' });
  const test = await loadFashionMnist({ split: 'test', limit: 2000 });
  const y = labelsOf(test);
  const pick = (keep: (v: number) => boolean) => Int32Array.from([...y.keys()].filter((i) => keep(y[i] as number)));
  testForget = subsetDataset(test, pick((v) => v === FORGET));
  testRetain = subsetDataset(test, pick((v) => v !== FORGET));
  disposeDataset(test);
  const yTrain = labelsOf(train);
  trainForget = subsetDataset(train, Int32Array.from([...yTrain.keys()].filter((i) => yTrain[i] === FORGET)));
  const recipe = editorZooRecipe(7, 0, 3);
  original = await trainRecipe(recipe, train);
  gold = await editorZooGold(recipe, train, FORGET);
}, 1_200_000);

afterAll(() => {
  [original, gold].forEach(disposeNet);
  [train, trainForget, testForget, testRetain].forEach(disposeDataset);
});

describe('the shipped small-cnn editor on real Fashion-MNIST', () => {
  it('is the small-cnn family, class requests, hidden 16, with its calibrated scale', () => {
    const editor = loadShippedEditor();
    expect(editor.config.hidden).toBe(16);
    expect(editor.info.family).toBe(architectureFamily(original.spec));
    expect(editor.info.requestKinds).toEqual(['class']);
    expect(editor.info.scale).toBe(0.7);
    editor.dispose();
    expect(() => shippedEditorDir('other' as 'small-cnn-fashion-mnist')).toThrow(MissingEditorError);
  });

  it('forgets the class, keeps test-retain accuracy, and relearns far slower than a filter would', () => {
    const editor = loadShippedEditor();
    const edited = applyEditor(editor, original, [FORGET]);
    const again = applyEditor(editor, original, [FORGET]);
    // Relearn (the AIN recipe at a fifth of the cost): fine-tune on 64 forget images until 50 % on 200 held-out ones.
    const slice = relearnSlice(trainForget, 64, 0);
    const held = relearnSlice(testForget, 200, 1);
    try {
      expect(netBytes(again)).toEqual(netBytes(edited));
      const before = { forget: accuracy(original, testForget), retain: accuracy(original, testRetain) };
      const after = { forget: accuracy(edited, testForget), retain: accuracy(edited, testRetain) };
      const steps = (m: TrainedNet) => relearnTime(m, slice, held, { maxSteps: 200, evalEvery: 5 }).steps;
      const relearn = { original: steps(original), gold: steps(gold), edited: steps(edited) };
      const goldRetain = accuracy(gold, testRetain);
      console.log(JSON.stringify({ before, after, goldRetain, relearn }));
      expect(before.forget).toBeGreaterThan(30);
      expect(after.forget).toBeLessThanOrEqual(2);
      // Without the class, its confusions with the others go, so test-retain accuracy rises for gold as well (this
      // net: 79.9 → gold 82.7, the edit 83.6): the bound is to gold's, and the edit may not cost the original's.
      expect(Math.abs(after.retain - goldRetain)).toBeLessThan(2);
      expect(after.retain).toBeGreaterThan(before.retain - 1);
      // The original relearns in a few steps; the edit, like gold, needs many (a filter's edit relearns like the original).
      expect(relearn.original).toBeLessThan(0.3 * relearn.gold);
      expect(relearn.edited).toBeGreaterThan(0.4 * relearn.gold);
    } finally {
      [edited, again].forEach(disposeNet);
      [slice, held].forEach(disposeDataset);
      editor.dispose();
    }
  });
});
