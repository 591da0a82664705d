// Real Fashion-MNIST (Debian package dataset-fashion-mnist, installed by CI): the task request
// at small sizes. small-cnn-mt (heads label and group) on 2,000 images for 2 epochs; forget
// head `group`. The full table is bench/task-request.mjs's (results/requests/task.md).
import { disposeDataset, loadFashionMnist, type Dataset } from '@metanet/data';
import { architecture } from '@metanet/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateTask, trainTaskNet, unlearnTask, type TaskMetrics, type TrainedNet } from '../src/index';
import { disposeNet, setup } from './fixtures';

let trainSet: Dataset;
let testSet: Dataset;
let original: TrainedNet;
let before: TaskMetrics;
const spec = architecture('small-cnn-mt', { width: 8 });
const recipe = { epochs: 2, batchSize: 32, lr: 3e-3 };

beforeAll(async () => {
  await setup();
  trainSet = await loadFashionMnist({ split: 'train', limit: 2000 });
  testSet = await loadFashionMnist({ split: 'test', limit: 1000 });
  original = await trainTaskNet(spec, trainSet, null, { ...recipe, seed: 0 });
  before = evaluateTask(original, testSet, 'group');
}, 600_000);

afterAll(() => {
  disposeNet(original);
  disposeDataset(trainSet);
  disposeDataset(testSet);
});

describe('task request on real Fashion-MNIST: forget head group of small-cnn-mt', () => {
  it('the original learns both heads; gold (trained on label alone) has an untrained group head', async () => {
    // Chance: 10 % for label; the largest group holds 40 % of the images.
    expect(before.headAccuracy.label).toBeGreaterThan(40);
    expect(before.forgetHeadAccuracy).toBeGreaterThan(60);
    const gold = await unlearnTask('retrain', { model: original, head: 'group', train: trainSet, seed: 1 }, recipe);
    const g = evaluateTask(gold.model, testSet, 'group');
    console.log(JSON.stringify({ original: before, gold: g }));
    expect(g.headAccuracy.label).toBeGreaterThan(40);
    expect(g.forgetHeadAccuracy).toBeLessThan(before.forgetHeadAccuracy - 15);
    // Group is a union of labels: a trunk trained on label alone still holds it (the probe is far above chance).
    expect(g.probeAccuracy).toBeGreaterThan(g.probeChance + 15);
    disposeNet(gold.model);
  }, 600_000);

  it('neggrad-plus and ga bring head group down, reinit-head filters (trunk probe unchanged), ft keeps label', async () => {
    const run = async (method: string, hp = {}): Promise<TaskMetrics> => {
      const r = await unlearnTask(method, { model: original, head: 'group', train: trainSet, seed: 2 }, hp);
      const m = evaluateTask(r.model, testSet, 'group');
      disposeNet(r.model);
      return m;
    };
    const neg = await run('neggrad-plus', { alpha: 0.5 });
    const ga = await run('ga');
    const reinit = await run('reinit-head');
    const ft = await run('ft');
    console.log(JSON.stringify({ neg, ga, reinit, ft }));
    expect(neg.forgetHeadAccuracy).toBeLessThan(before.forgetHeadAccuracy - 15);
    expect(ga.forgetHeadAccuracy).toBeLessThan(before.forgetHeadAccuracy - 15);
    expect(reinit.probeAccuracy).toBe(before.probeAccuracy);
    expect(reinit.headAccuracy.label).toBe(before.headAccuracy.label);
    expect(reinit.forgetHeadAccuracy).toBeLessThan(before.forgetHeadAccuracy - 15);
    expect(ft.headAccuracy.label).toBeGreaterThan(40);
  }, 600_000);
});
