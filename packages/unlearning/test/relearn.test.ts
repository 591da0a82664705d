import { beforeAll, describe, expect, it } from 'vitest';
import type { RelearnResult } from '../src/relearn';
import { tf } from '@metanet/tensor';
import { datasetSize, disposeDataset, labelsOf, subsetDataset } from '@metanet/data';
import { formatRelearn, relearnSlice, relearnTime } from '../src/relearn';
import { EmptyForgetSetError, InvalidHyperparameterError } from '../src/errors';
import { bytesOf, sameBytes, setup } from './fixtures';
import { classRequest, FORGET_CLASS } from './b-trained';

beforeAll(setup);

describe('relearnSlice', () => {
  it('takes a fixed seeded slice of the forget set', () => {
    const req = classRequest();
    const a = relearnSlice(req.forget, 16, 3);
    const b = relearnSlice(req.forget, 16, 3);
    expect(datasetSize(a)).toBe(16);
    expect(labelsOf(a).every((y) => y === FORGET_CLASS)).toBe(true);
    expect(sameBytes([new Uint8Array(a.images.dataSync().buffer.slice(0))], [new Uint8Array(b.images.dataSync().buffer.slice(0))])).toBe(true);
    const all = relearnSlice(req.forget, 10_000);
    expect(datasetSize(all)).toBe(datasetSize(req.forget));
    for (const d of [a, b, all]) disposeDataset(d);
  });
});

/** Gold's relearn run (the slowest one), shared by the tests that compare against it. */
let goldRun: RelearnResult | null = null;
function goldRelearn(): RelearnResult {
  if (goldRun) return goldRun;
  const req = classRequest();
  const slice = relearnSlice(req.forget, 32);
  goldRun = relearnTime(req.gold(), slice, req.testForget, { maxSteps: 300 });
  disposeDataset(slice);
  return goldRun;
}

describe('relearnTime', () => {
  it('is 0 for the original model, which already knows the class', () => {
    const req = classRequest();
    const slice = relearnSlice(req.forget, 32);
    const r = relearnTime(req.model, slice, req.testForget);
    expect(r).toMatchObject({ steps: 0, reached: true });
    expect(r.initialAccuracy).toBeGreaterThan(0.5);
    disposeDataset(slice);
  });

  it('takes the gold model several steps, reports the cap as not reached, and neither mutates nor leaks', () => {
    const req = classRequest();
    const gold = req.gold();
    const slice = relearnSlice(req.forget, 32);
    const before = bytesOf(gold);
    const tensors = tf.memory().numTensors;
    const r = goldRelearn();
    expect(r.initialAccuracy).toBe(0);
    expect(r.reached).toBe(true);
    expect(r.steps).toBeGreaterThan(3);
    expect(r.finalAccuracy).toBeGreaterThanOrEqual(0.5);
    expect(r.history.map((h) => h.step)).toEqual(Array.from({ length: r.steps + 1 }, (_, i) => i));
    expect(r.history.slice(0, -1).every((h) => h.accuracy < 0.5)).toBe(true);
    const capped = relearnTime(gold, slice, req.testForget, { maxSteps: 2 });
    expect(capped).toMatchObject({ steps: 2, reached: false });
    expect(formatRelearn(capped)).toBe('>2');
    expect(formatRelearn(r)).toBe(String(r.steps));
    expect(sameBytes(bytesOf(gold), before)).toBe(true);
    expect(tf.memory().numTensors).toBe(tensors);
    disposeDataset(slice);
  });

  it('is deterministic by seed', () => {
    const req = classRequest();
    const slice = relearnSlice(req.forget, 32);
    const a = relearnTime(req.gold(), slice, req.testForget, { seed: 4, maxSteps: 12 });
    const b = relearnTime(req.gold(), slice, req.testForget, { seed: 4, maxSteps: 12 });
    expect(a).toEqual(b);
    disposeDataset(slice);
  });

  it('separates hidden from deleted knowledge: a filtered model relearns much faster than gold', () => {
    const req = classRequest();
    const slice = relearnSlice(req.forget, 32);
    // Filtering: lower the forgotten class's output bias; every feature stays.
    const head = req.model.params.length - 1;
    const filtered = {
      ...req.model,
      params: req.model.params.map((p, k) => (k === head ? tf.tidy(() => tf.add(p, tf.mul(tf.reshape(tf.oneHot([FORGET_CLASS], p.shape[0] as number), p.shape), -20))) : p)),
    };
    const hidden = relearnTime(filtered, slice, req.testForget, { maxSteps: 300 });
    const gold = goldRelearn();
    expect(hidden.initialAccuracy).toBeLessThan(0.1);
    expect(hidden.reached && gold.reached).toBe(true);
    expect(hidden.steps * 2).toBeLessThan(gold.steps);
    (filtered.params[head] as tf.Tensor).dispose();
    disposeDataset(slice);
  });

  it('rejects bad options and empty sets with typed errors', () => {
    const req = classRequest();
    const slice = relearnSlice(req.forget, 8);
    const empty = subsetDataset(req.forget, new Int32Array(0));
    expect(() => relearnTime(req.model, slice, req.testForget, { target: 1.5 })).toThrow(InvalidHyperparameterError);
    expect(() => relearnTime(req.model, slice, req.testForget, { batchSize: 0 })).toThrow(InvalidHyperparameterError);
    expect(() => relearnTime(req.model, slice, req.testForget, { lr: 0 })).toThrow(InvalidHyperparameterError);
    expect(() => relearnTime(req.model, empty, req.testForget)).toThrow(EmptyForgetSetError);
    expect(() => relearnTime(req.model, slice, empty)).toThrow(EmptyForgetSetError);
    disposeDataset(slice);
    disposeDataset(empty);
  });
});
