import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@metanet/tensor';
import { disposeDataset, subsetDataset } from '@metanet/data';
import { distillKl, scrub } from '../src/methods/scrub';
import { EmptyForgetSetError, InvalidHyperparameterError } from '../src/errors';
import { bytesOf, disposeNet, sameBytes, setup } from './fixtures';
import { accuracyOn, classRequest } from './b-trained';

beforeAll(setup);

describe('distillKl', () => {
  it('is T²·KL(teacher ‖ student) of the tempered softmaxes, by hand', () => {
    const t = [1, 0, -1];
    const s = [0, 2, 0];
    const T = 2;
    const soft = (z: number[]): number[] => {
      const e = z.map((v) => Math.exp(v / T));
      const sum = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / sum);
    };
    const pt = soft(t);
    const ps = soft(s);
    const want = T * T * pt.reduce((acc, p, i) => acc + p * Math.log(p / (ps[i] as number)), 0);
    const got = tf.tidy(() => distillKl(tf.tensor2d([s]), tf.tensor2d([t]), T).dataSync()[0] as number);
    expect(got).toBeCloseTo(want, 5);
    expect(tf.tidy(() => distillKl(tf.tensor2d([t, s]), tf.tensor2d([t, s]), 4).dataSync()[0] as number)).toBeCloseTo(0, 6);
  });
});

describe('scrub', () => {
  it('forgets the class, keeps the other classes, leaves the input untouched and leaks nothing', async () => {
    const req = classRequest();
    const before = bytesOf(req.model);
    const tensors = tf.memory().numTensors;
    // The fixture's D_f is 120 samples: batches of 16 give the max-steps enough steps.
    const out = await scrub.run(req.input(), { batchSize: 16, minStepBatches: 16 });
    expect(accuracyOn(req.model, req.forget)).toBeGreaterThan(0.95);
    expect(accuracyOn(out.model, req.forget)).toBeLessThan(0.2);
    expect(accuracyOn(out.model, req.retain)).toBeGreaterThan(0.9);
    expect(accuracyOn(out.model, req.testRetain)).toBeGreaterThan(accuracyOn(req.model, req.testRetain) - 0.05);
    expect(sameBytes(bytesOf(req.model), before)).toBe(true);
    disposeNet(out.model);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it("follows the paper's schedule: max-steps only in the first maxSteps epochs, a min-step every epoch", async () => {
    const req = classRequest();
    // Fixture: D_f = 120 (2 batches of 64), D_r = 360 (6 batches, capped at 4).
    const out = await scrub.run(req.input(), { epochs: 3, maxSteps: 1, minStepBatches: 4 });
    expect(out.steps).toBe(1 * 2 + 3 * 4);
    disposeNet(out.model);
    // maxStepBatches caps a max-step's batches as minStepBatches caps a min-step's; 0 is a full pass over D_f.
    const capped = await scrub.run(req.input(), { epochs: 3, maxSteps: 2, minStepBatches: 4, maxStepBatches: 1 });
    expect(capped.steps).toBe(2 * 1 + 3 * 4);
    disposeNet(capped.model);
    const full = await scrub.run(req.input(), { epochs: 1, maxSteps: 1, minStepBatches: 1, maxStepBatches: 0, batchSize: 16 });
    expect(full.steps).toBe(Math.ceil(120 / 16) + 1);
    disposeNet(full.model);
    const none = await scrub.run(req.input(), { epochs: 0 });
    expect(none.steps).toBe(0);
    expect(sameBytes(bytesOf(none.model), bytesOf(req.model))).toBe(true);
    disposeNet(none.model);
  });

  it('is bit-identical for the same seed and differs for another', async () => {
    const req = classRequest();
    const hp = { epochs: 1, minStepBatches: 2 };
    const [a, b, c] = [await scrub.run(req.input(8), hp), await scrub.run(req.input(8), hp), await scrub.run(req.input(9), hp)];
    expect(sameBytes(bytesOf(a.model), bytesOf(b.model))).toBe(true);
    expect(sameBytes(bytesOf(a.model), bytesOf(c.model))).toBe(false);
    for (const r of [a, b, c]) disposeNet(r.model);
  });

  it('rejects bad hyperparameters and an empty forget set with typed errors', async () => {
    const req = classRequest();
    await expect(scrub.run(req.input(), { temperature: 0 })).rejects.toThrow(InvalidHyperparameterError);
    await expect(scrub.run(req.input(), { maxSteps: -1 })).rejects.toThrow(InvalidHyperparameterError);
    await expect(scrub.run(req.input(), { maxStepBatches: -1 })).rejects.toThrow(InvalidHyperparameterError);
    await expect(scrub.run(req.input(), { batchSize: 0 })).rejects.toThrow(InvalidHyperparameterError);
    const empty = subsetDataset(req.forget, new Int32Array(0));
    await expect(scrub.run({ ...req.input(), forget: empty })).rejects.toThrow(EmptyForgetSetError);
    disposeDataset(empty);
  });
});
