import { beforeAll, describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import {
  disposeDataset,
  EmptyForgetSetError,
  forgetClassSplit,
  InvalidFractionError,
  InvalidSplitError,
  labelsOf,
  randomSubset,
  splitDataset,
  subPopulationSplit,
  syntheticShapes,
  trainValTestSplit,
  UnknownClassError,
} from '../src/index';
import { useBackend } from './backend';

beforeAll(() => useBackend('cpu'));

const labelsArb = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 2, maxLength: 300 }).map((a) => Int32Array.from(a));

/** forget ∪ retain = 0..n-1, disjoint, both ascending. */
function expectPartition(parts: Int32Array[], n: number): void {
  const seen = new Uint8Array(n);
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      if (i > 0) expect(p[i]).toBeGreaterThan(p[i - 1] as number);
      expect(seen[p[i] as number]).toBe(0);
      seen[p[i] as number] = 1;
    }
  }
  expect(seen.every((v) => v === 1)).toBe(true);
}

describe('forgetClassSplit', () => {
  it('forgets exactly the chosen classes (property)', () => {
    fc.assert(
      fc.property(labelsArb, fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 2 }), (labels, classes) => {
        const present = new Set(labels);
        const forgetsSome = classes.some((c) => present.has(c));
        const keepsSome = [...present].some((c) => !classes.includes(c));
        if (!forgetsSome) {
          expect(() => forgetClassSplit(labels, classes, { numClasses: 5 })).toThrow(EmptyForgetSetError);
          return;
        }
        if (!keepsSome) {
          expect(() => forgetClassSplit(labels, classes, { numClasses: 5 })).toThrow(InvalidSplitError);
          return;
        }
        const { forget, retain } = forgetClassSplit(labels, classes, { numClasses: 5 });
        expectPartition([forget, retain], labels.length);
        forget.forEach((i) => expect(classes).toContain(labels[i]));
        retain.forEach((i) => expect(classes).not.toContain(labels[i]));
      }),
      { numRuns: 100, seed: 3 },
    );
  });

  it('rejects classes outside the label set and an empty class list', () => {
    const y = Int32Array.from([0, 1, 2, 1]);
    expect(() => forgetClassSplit(y, [3], { numClasses: 3 })).toThrow(UnknownClassError);
    expect(() => forgetClassSplit(y, [-1])).toThrow(/class -1 is not in the label set \[0, 3\)/);
    expect(() => forgetClassSplit(y, [1.5])).toThrow(UnknownClassError);
    expect(() => forgetClassSplit(y, [])).toThrow(EmptyForgetSetError);
  });
});

describe('randomSubset', () => {
  it('is a deterministic partition of the pool with the requested size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.integer(), (n, p, seed) => {
        const a = randomSubset(n, { fraction: p, seed });
        expect(a).toEqual(randomSubset(n, { fraction: p, seed }));
        expect(a.subset.length).toBe(Math.max(1, Math.round(p * n)));
        expectPartition([a.subset, a.rest], n);
      }),
      { numRuns: 100, seed: 4 },
    );
  });

  it('draws from a given pool of indices and varies with the seed', () => {
    const pool = Int32Array.from([10, 20, 30, 40, 50, 60, 70, 80]);
    const a = randomSubset(pool, { size: 3, seed: 1 });
    expect(a.subset.length).toBe(3);
    expect([...a.subset, ...a.rest].sort((x, y) => x - y)).toEqual(Array.from(pool));
    const draws = new Set(Array.from({ length: 20 }, (_, s) => randomSubset(pool, { size: 3, seed: s }).subset.join()));
    expect(draws.size).toBeGreaterThan(5);
  });

  it('rejects fractions outside (0, 1) and impossible sizes', () => {
    for (const fraction of [0, 1, -0.1, 1.5, Number.NaN]) expect(() => randomSubset(10, { fraction, seed: 0 })).toThrow(InvalidFractionError);
    for (const size of [0, 11, 2.5]) expect(() => randomSubset(10, { size, seed: 0 })).toThrow(InvalidFractionError);
    expect(() => randomSubset(10, { size: 1, seed: Number.NaN })).toThrow(InvalidSplitError);
  });
});

describe('subPopulationSplit', () => {
  it('forgets a fraction of one class only', () => {
    const labels = Int32Array.from({ length: 100 }, (_, i) => i % 4);
    const s = subPopulationSplit(labels, { class: 2, fraction: 0.4, seed: 7 });
    expect(s.forget.length).toBe(10);
    s.forget.forEach((i) => expect(labels[i]).toBe(2));
    expectPartition([s.forget, s.retain], 100);
    expect(subPopulationSplit(labels, { class: 2, fraction: 0.4, seed: 7 })).toEqual(s);
    expect(subPopulationSplit(labels, { class: 2, fraction: 0.4, seed: 8 }).forget).not.toEqual(s.forget);
  });

  it('accepts a predicate over samples', () => {
    const labels = Int32Array.from({ length: 10 }, (_, i) => i % 2);
    const s = subPopulationSplit(labels, { predicate: (i, y) => y === 1 && i < 5 });
    expect(Array.from(s.forget)).toEqual([1, 3]);
    expect(() => subPopulationSplit(labels, { predicate: () => false })).toThrow(EmptyForgetSetError);
    expect(() => subPopulationSplit(labels, { predicate: () => true })).toThrow(/retain set would be empty/);
  });

  it('rejects bad classes and fractions', () => {
    const labels = Int32Array.from([0, 1, 1, 0]);
    expect(() => subPopulationSplit(labels, { class: 5, fraction: 0.5, seed: 0 })).toThrow(UnknownClassError);
    expect(() => subPopulationSplit(labels, { class: 1, fraction: 1, seed: 0 })).toThrow(InvalidFractionError);
    expect(() => subPopulationSplit(labels, { class: 2, fraction: 0.5, seed: 0, numClasses: 3 })).toThrow(EmptyForgetSetError);
  });
});

describe('trainValTestSplit', () => {
  it('partitions, is stratified, and is deterministic', () => {
    fc.assert(
      fc.property(labelsArb, fc.double({ min: 0, max: 0.45, noNaN: true }), fc.double({ min: 0, max: 0.45, noNaN: true }), fc.integer(), (labels, val, test, seed) => {
        const s = trainValTestSplit(labels, { val, test, seed });
        expectPartition([s.train, s.val, s.test], labels.length);
        expect(trainValTestSplit(labels, { val, test, seed })).toEqual(s);
        for (let c = 0; c < 5; c++) {
          const m = labels.filter((y) => y === c).length;
          expect(s.val.filter((i) => labels[i] === c).length).toBe(Math.round(val * m));
          expect(s.test.filter((i) => labels[i] === c).length).toBe(Math.round(test * m));
        }
      }),
      { numRuns: 100, seed: 5 },
    );
  });

  it('splits a bare count and rejects bad fractions', () => {
    const s = trainValTestSplit(10, { val: 0.2, seed: 1 });
    expect([s.train.length, s.val.length, s.test.length]).toEqual([8, 2, 0]);
    expect(() => trainValTestSplit(10, { val: 0.6, test: 0.4, seed: 1 })).toThrow(InvalidFractionError);
    expect(() => trainValTestSplit(10, { val: -0.1, seed: 1 })).toThrow(InvalidFractionError);
    expect(() => trainValTestSplit(10, { val: 1, seed: 1 })).toThrow(InvalidFractionError);
  });
});

describe('splitDataset', () => {
  it('materialises forget/retain datasets (test-forget / test-retain)', () => {
    const test = syntheticShapes({ n: 40, seed: 9 });
    const split = forgetClassSplit(labelsOf(test), [3], { numClasses: 10 });
    const { forget, retain } = splitDataset(test, split);
    expect(forget.images.shape).toEqual([4, 28, 28, 1]);
    expect(retain.images.shape).toEqual([36, 28, 28, 1]);
    expect(Array.from(labelsOf(forget))).toEqual([3, 3, 3, 3]);
    expect(Array.from(forget.labels.dataSync())).toEqual([3, 3, 3, 3]);
    expect(forget.name).toBe('synthetic-shapes/forget');
    // Row 0 of forget is the first class-3 image of the source.
    const src = test.images.dataSync();
    const first = split.forget[0] as number;
    expect(Array.from(forget.images.dataSync().subarray(0, 784))).toEqual(Array.from(src.subarray(first * 784, first * 784 + 784)));
    [forget, retain, test].forEach(disposeDataset);
  });
});
