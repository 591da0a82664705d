import { beforeAll, describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { tf } from '@metanet/tensor';
import {
  classCounts,
  countLabels,
  createDataset,
  datasetSize,
  disposeDataset,
  InvalidDatasetOptionsError,
  labelsOf,
  normalizeBytes,
  NORMALIZATION_CONSTANTS,
  permutation,
  resolveNormalization,
  rngFor,
  shuffleInPlace,
  subsetDataset,
} from '../src/index';
import { useBackend } from './backend';

beforeAll(() => useBackend('cpu'));

const toy = () =>
  createDataset({
    name: 'toy',
    images: Float32Array.from({ length: 5 * 2 * 2 }, (_, i) => i),
    shape: [5, 2, 2, 1],
    labels: Int32Array.from([0, 1, 1, 2, 0]),
    classNames: ['a', 'b', 'c'],
    source: 'memory',
  });

describe('createDataset / subsetDataset / disposeDataset', () => {
  it('builds tensors, takes subsets by index without leaking, and disposes', () => {
    const before = tf.memory().numTensors;
    const ds = toy();
    expect(datasetSize(ds)).toBe(5);
    expect(Array.from(classCounts(ds))).toEqual([2, 2, 1]);
    const sub = subsetDataset(ds, Int32Array.from([3, 0, 3]));
    expect(sub.images.shape).toEqual([3, 2, 2, 1]);
    expect(Array.from(sub.images.dataSync())).toEqual([12, 13, 14, 15, 0, 1, 2, 3, 12, 13, 14, 15]);
    expect(Array.from(labelsOf(sub))).toEqual([2, 0, 2]);
    expect(Array.from(sub.labels.dataSync())).toEqual([2, 0, 2]);
    expect(sub.name).toBe('toy[subset]');
    expect(tf.memory().numTensors).toBe(before + 4);
    expect(() => subsetDataset(ds, Int32Array.from([5]))).toThrow(InvalidDatasetOptionsError);
    expect(tf.memory().numTensors).toBe(before + 4);
    disposeDataset(sub);
    disposeDataset(ds);
    disposeDataset(ds);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects inconsistent arrays and labels outside the classes', () => {
    const base = { name: 'x', images: new Float32Array(4), shape: [1, 2, 2, 1] as [number, number, number, number], classNames: ['a'], source: 's' };
    expect(() => createDataset({ ...base, labels: Int32Array.from([0, 0]) })).toThrow(/2 labels for 1 images/);
    expect(() => createDataset({ ...base, labels: Int32Array.from([1]) })).toThrow(/label 1 at index 0 is outside \[0, 1\)/);
    expect(() => createDataset({ ...base, images: new Float32Array(3), labels: Int32Array.from([0]) })).toThrow(InvalidDatasetOptionsError);
  });

  it('countLabels ignores out-of-range labels', () => {
    expect(Array.from(countLabels(Int32Array.from([0, 2, 2, 7, -1]), 3))).toEqual([1, 0, 2]);
  });
});

describe('normalisation', () => {
  it('standard normalisation maps bytes to (x/255 - mean)/std per channel', () => {
    const stats = resolveNormalization('standard', NORMALIZATION_CONSTANTS['cifar-10'], 3);
    const out = normalizeBytes(Uint8Array.from([0, 255, 128, 255, 0, 64]), stats);
    const expected = [0, 255, 128, 255, 0, 64].map((v, i) => (v / 255 - (stats.mean[i % 3] as number)) / (stats.std[i % 3] as number));
    out.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
    expect(Array.from(normalizeBytes(Uint8Array.from([0, 51, 255]), resolveNormalization('unit', NORMALIZATION_CONSTANTS.mnist, 1)))).toEqual([0, Math.fround(0.2), 1]);
  });

  it('rejects statistics of the wrong length or with a non-positive std', () => {
    expect(() => resolveNormalization({ mean: [0], std: [1] }, NORMALIZATION_CONSTANTS.mnist, 3)).toThrow(/1 means and 1 stds for 3 channel/);
    expect(() => resolveNormalization({ mean: [0], std: [0] }, NORMALIZATION_CONSTANTS.mnist, 1)).toThrow(InvalidDatasetOptionsError);
  });
});

describe('permutation / shuffleInPlace / rngFor', () => {
  it('permutation is a deterministic permutation of 0..n-1', () => {
    fc.assert(
      fc.property(fc.nat({ max: 300 }), fc.integer(), (n, seed) => {
        const p = permutation(n, seed);
        expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(permutation(n, seed)).toEqual(p);
      }),
      { numRuns: 50, seed: 6 },
    );
    expect(permutation(50, 1)).not.toEqual(permutation(50, 2));
  });

  it('shuffleInPlace keeps the multiset; rngFor rejects non-integer seeds', () => {
    const a = Int32Array.from([5, 5, 1, 9]);
    shuffleInPlace(a, rngFor(3));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual([1, 5, 5, 9]);
    expect(() => rngFor(0.5)).toThrow(InvalidDatasetOptionsError);
  });
});
