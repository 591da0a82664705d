import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tf } from '@metanet/tensor';
import { disposeDataset, subsetDataset } from '@metanet/data';
import { forgetGradient, salun, saliencyMask } from '../src/methods/salun';
import { EmptyForgetSetError, InvalidHyperparameterError } from '../src/errors';
import { bytesOf, disposeNet, sameBytes, setup } from './fixtures';
import { accuracyOn, classRequest } from './b-trained';

beforeAll(setup);

/** Enough steps on the 120-sample fixture forget set for D_r rehearsal to repair the random labels' damage. */
const FIXTURE_HP = { epochs: 12, batchSize: 32, retainBatchSize: 128, lr: 0.005 };

describe('saliencyMask', () => {
  it('keeps exactly the top fraction by magnitude, ranked across tensors', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -10_000, max: 10_000 }), { minLength: 2, maxLength: 60, selector: (v) => Math.abs(v) }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 59 }),
        (values, fraction, cut) => {
          const split = Math.min(cut, values.length - 1);
          const a = tf.tensor1d(values.slice(0, split));
          const b = tf.tensor2d(values.slice(split), [1, values.length - split]);
          const masks = saliencyMask([a, b], fraction);
          const flags = [...masks[0]!.dataSync(), ...masks[1]!.dataSync()];
          const keep = Math.round(fraction * values.length);
          expect(flags.filter((f) => f === 1)).toHaveLength(keep);
          const kept = values.filter((_, i) => flags[i] === 1).map(Math.abs);
          const dropped = values.filter((_, i) => flags[i] === 0).map(Math.abs);
          if (kept.length && dropped.length) expect(Math.min(...kept)).toBeGreaterThan(Math.max(...dropped));
          tf.dispose([a, b, ...masks]);
        },
      ),
      { numRuns: 100, seed: 7 },
    );
  });

  it('rejects a fraction outside [0, 1]', () => {
    const t = tf.tensor1d([1, 2]);
    expect(() => saliencyMask([t], 1.5)).toThrow(InvalidHyperparameterError);
    t.dispose();
  });
});

describe('salun', () => {
  it('forgets the class, keeps the other classes, leaves the input untouched and leaks nothing', async () => {
    const req = classRequest();
    const before = bytesOf(req.model);
    const tensors = tf.memory().numTensors;
    const out = await salun.run(req.input(), FIXTURE_HP);
    expect(out.steps).toBe(12 * 4);
    expect(accuracyOn(req.model, req.forget)).toBeGreaterThan(0.95);
    expect(accuracyOn(out.model, req.forget)).toBeLessThanOrEqual(0.05);
    expect(accuracyOn(out.model, req.testForget)).toBeLessThanOrEqual(0.1);
    expect(accuracyOn(out.model, req.retain)).toBeGreaterThan(0.9);
    expect(accuracyOn(out.model, req.testRetain)).toBeGreaterThan(accuracyOn(req.model, req.testRetain) - 0.05);
    expect(sameBytes(bytesOf(req.model), before)).toBe(true);
    disposeNet(out.model);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('moves only the salient weights; the rest keep their exact original values', async () => {
    const req = classRequest();
    const grads = forgetGradient(req.model, req.forget, 64);
    const mask = saliencyMask(grads, 0.3);
    const out = await salun.run(req.input(), { maskFraction: 0.3, epochs: 1 });
    let moved = 0;
    out.model.params.forEach((p, k) => {
      const m = mask[k]!.dataSync();
      const before = req.model.params[k]!.dataSync();
      const after = p.dataSync();
      m.forEach((flag, i) => {
        if (flag === 0) expect(after[i]).toBe(before[i]);
        else if (after[i] !== before[i]) moved++;
      });
    });
    expect(moved).toBeGreaterThan(0);
    tf.dispose([...grads, ...mask]);
    disposeNet(out.model);
  });

  it('is bit-identical for the same seed and differs for another', async () => {
    const req = classRequest();
    const hp = { epochs: 1 };
    const [a, b, c] = [await salun.run(req.input(5), hp), await salun.run(req.input(5), hp), await salun.run(req.input(6), hp)];
    expect(sameBytes(bytesOf(a.model), bytesOf(b.model))).toBe(true);
    expect(sameBytes(bytesOf(a.model), bytesOf(c.model))).toBe(false);
    for (const r of [a, b, c]) disposeNet(r.model);
  });

  it('rejects bad hyperparameters and an empty forget set with typed errors', async () => {
    const req = classRequest();
    await expect(salun.run(req.input(), { maskFraction: -0.1 })).rejects.toThrow(InvalidHyperparameterError);
    await expect(salun.run(req.input(), { retainBatchSize: 0 })).rejects.toThrow(InvalidHyperparameterError);
    const empty = subsetDataset(req.forget, new Int32Array(0));
    await expect(salun.run({ ...req.input(), forget: empty })).rejects.toThrow(EmptyForgetSetError);
    disposeDataset(empty);
  });
});
