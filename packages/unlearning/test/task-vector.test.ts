import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@metanet/tensor';
import { disposeDataset, subsetDataset } from '@metanet/data';
import { taskVector, taskVectorAlphas } from '../src/methods/task-vector';
import { InvalidHyperparameterError } from '../src/errors';
import { bytesOf, disposeNet, sameBytes, setup } from './fixtures';
import { accuracyOn, classRequest } from './b-trained';

beforeAll(setup);

// A fine-tune strong enough that subtracting all of it costs the retain classes.
const FT = { epochs: 3, lr: 0.05, alpha: 10 };

describe('task-vector', () => {
  it('with controlRetention 0 subtracts α·τ as given: the edit is linear in α', async () => {
    const req = classRequest();
    const w = req.model.params.map((p) => p.dataSync() as Float32Array);
    const one = await taskVector.run(req.input(), { ...FT, controlRetention: 0, alpha: 1 });
    const half = await taskVector.run(req.input(), { ...FT, controlRetention: 0, alpha: 0.5 });
    one.model.params.forEach((p, k) => {
      const a = p.dataSync() as Float32Array;
      const b = half.model.params[k]!.dataSync() as Float32Array;
      for (let i = 0; i < a.length; i += 7) expect(a[i]! - w[k]![i]!).toBeCloseTo(2 * (b[i]! - w[k]![i]!), 4);
    });
    expect(accuracyOn(one.model, req.forget)).toBeLessThan(accuracyOn(req.model, req.forget));
    disposeNet(one.model);
    disposeNet(half.model);
  });

  it('chooses the largest α of alpha·{1, 0.9, …, 0.1} (here alpha = 10) that keeps 95 % of the control accuracy', async () => {
    const req = classRequest();
    const tensors = tf.memory().numTensors;
    const before = bytesOf(req.model);
    // The fixture's D_r has 360 images, under controlSamples: the control set is all of D_r.
    const floor = 0.95 * accuracyOn(req.model, req.retain);
    const chosen = await taskVector.run(req.input(), FT);
    const accs: number[] = [];
    let expected: number | undefined;
    for (const alpha of taskVectorAlphas(10)) {
      const m = await taskVector.run(req.input(), { ...FT, controlRetention: 0, alpha });
      const acc = accuracyOn(m.model, req.retain);
      accs.push(acc);
      if (expected === undefined && acc >= floor) {
        expected = alpha;
        expect(sameBytes(bytesOf(chosen.model), bytesOf(m.model))).toBe(true);
      }
      disposeNet(m.model);
    }
    // The selection mattered: the full task vector breaks the control, a smaller α keeps it.
    expect(accs[0]).toBeLessThan(floor);
    expect(expected).toBeDefined();
    expect(expected!).toBeLessThan(10);
    expect(accuracyOn(chosen.model, req.retain)).toBeGreaterThanOrEqual(floor);
    expect(sameBytes(bytesOf(req.model), before)).toBe(true);
    disposeNet(chosen.model);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('uses α as given when D_r is empty (no control set)', async () => {
    const req = classRequest();
    const empty = subsetDataset(req.retain, new Int32Array(0));
    const a = await taskVector.run({ ...req.input(), retain: empty }, { epochs: 1, alpha: 0.5 });
    const b = await taskVector.run(req.input(), { epochs: 1, alpha: 0.5, controlRetention: 0 });
    expect(sameBytes(bytesOf(a.model), bytesOf(b.model))).toBe(true);
    disposeNet(a.model);
    disposeNet(b.model);
    disposeDataset(empty);
  });

  it('rejects a control retention outside [0, 1], a bad control sample and α ≤ 0 with typed errors', async () => {
    const req = classRequest();
    await expect(taskVector.run(req.input(), { controlRetention: 1.5 })).rejects.toThrow(InvalidHyperparameterError);
    await expect(taskVector.run(req.input(), { controlSamples: 0 })).rejects.toThrow(InvalidHyperparameterError);
    await expect(taskVector.run(req.input(), { alpha: 0 })).rejects.toThrow(InvalidHyperparameterError);
  });
});
