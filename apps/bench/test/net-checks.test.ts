import { describe, expect, it } from 'vitest';
import { syntheticShapes } from '@metanet/data';
import { initBackend, tf } from '@metanet/tensor';
import type { ForgetRequest } from '@metanet/unlearning';
import { GoldMismatchError, RecordedDatasetMismatchError } from '../src/errors';
import { checkGold, checkRecordedDataset, datasetRecord, recordedDataset, sameWeights } from '../src/net-checks';

await initBackend();
const train = syntheticShapes({ n: 20, seed: 0 });
const synthetic = { name: 'synthetic' as const, train };
const asFashion = { name: 'fashion-mnist' as const, train };

describe('the dataset a net records', () => {
  it('is read from datasetInfo, or from the description older manifests carry, or is absent', () => {
    const rec = datasetRecord(synthetic);
    expect(rec).toEqual({ name: 'synthetic', shape: [28, 28, 1], classes: 10 });
    expect(recordedDataset({ datasetInfo: rec })).toEqual(rec);
    expect(recordedDataset({ dataset: 'fashion-mnist (/usr/share/datasets/fashion-mnist)' })).toEqual({ name: 'fashion-mnist' });
    expect(recordedDataset({ dataset: 'synthetic shapes (seed 3)' })).toEqual({ name: 'synthetic' });
    expect(recordedDataset({})).toBeUndefined();
  });

  it('must match the loaded dataset unless the mismatch is allowed', () => {
    const meta = { datasetInfo: datasetRecord(synthetic) };
    expect(checkRecordedDataset(meta, synthetic, '--net n', false)).toBeUndefined();
    expect(() => checkRecordedDataset(meta, asFashion, '--net n', false)).toThrow(RecordedDatasetMismatchError);
    expect(() => checkRecordedDataset(meta, asFashion, '--net n', false)).toThrow(/^--net n was trained on synthetic \(loaded: fashion-mnist\); pass --dataset synthetic/);
    expect(checkRecordedDataset(meta, asFashion, '--net n', true)).toMatch(/^warning: --net n was trained on synthetic .*--allow-dataset-mismatch/);
    const otherShape = { datasetInfo: { name: 'synthetic', shape: [32, 32, 3], classes: 10 } };
    expect(() => checkRecordedDataset(otherShape, synthetic, '--net n', false)).toThrow(/image shape 32×32×3 \(loaded: 28×28×1\)/);
    const otherClasses = { datasetInfo: { name: 'synthetic', shape: [28, 28, 1], classes: 5 } };
    expect(() => checkRecordedDataset(otherClasses, synthetic, '--net n', false)).toThrow(/5 classes \(loaded: 10\)/);
    // An imported net records nothing: nothing to check.
    expect(checkRecordedDataset({}, asFashion, '--net n', false)).toBeUndefined();
  });
});

describe('--gold', () => {
  const request: ForgetRequest = { kind: 'class', classes: [2] };
  const base = { goldDir: 'gold', netDir: 'net', request, seed: 0, identical: false };

  it('accepts a retrain for the same request', () => {
    expect(checkGold({ ...base, goldMeta: { method: 'retrain', request, seed: 5 } })).toBeUndefined();
  });

  it('refuses the original itself, by path or by identical weights', () => {
    expect(() => checkGold({ ...base, goldDir: 'net/', goldMeta: { method: 'retrain', request } })).toThrow(/is the original net itself/);
    expect(() => checkGold({ ...base, identical: true, goldMeta: { method: 'retrain', request } })).toThrow(GoldMismatchError);
  });

  it('refuses another request, another split seed, another method, or a net trained on everything', () => {
    expect(() => checkGold({ ...base, goldMeta: { method: 'retrain', request: { kind: 'class', classes: [3] } } })).toThrow(/retrained for class-3, not for class-2/);
    const random: ForgetRequest = { kind: 'random', fraction: 0.1 };
    expect(() => checkGold({ ...base, request: random, goldMeta: { method: 'retrain', request: random, seed: 1 } })).toThrow(/--seed 1, not --seed 0/);
    expect(checkGold({ ...base, request: random, goldMeta: { method: 'retrain', request: random, seed: 0 } })).toBeUndefined();
    expect(() => checkGold({ ...base, goldMeta: { method: 'ft', request } })).toThrow(/output of method ft, not a retrain/);
    expect(() => checkGold({ ...base, goldMeta: { arch: 'small-cnn', epochs: 3, request: null } })).toThrow(/trained on the full dataset by metanet train/);
  });

  it('warns when the manifest records nothing to check', () => {
    expect(checkGold({ ...base, goldMeta: {} })).toMatch(/^warning: --gold gold records no request/);
  });
});

describe('sameWeights', () => {
  it('is true only for equal shapes and values, bit for bit', () => {
    const a = [tf.tensor1d([1, 2, 3]), tf.tensor2d([[0, -0.5]])];
    expect(sameWeights(a, [tf.tensor1d([1, 2, 3]), tf.tensor2d([[0, -0.5]])])).toBe(true);
    expect(sameWeights(a, [tf.tensor1d([1, 2, 3]), tf.tensor2d([[0, -0.25]])])).toBe(false);
    expect(sameWeights(a, [tf.tensor1d([1, 2, 3]), tf.tensor1d([0, -0.5])])).toBe(false);
    expect(sameWeights(a, a.slice(0, 1))).toBe(false);
  });
});
