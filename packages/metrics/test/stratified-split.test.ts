import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, SingleClassError } from '../src/errors.js';
import { createRng } from '@metanet/tensor/rng';
import { stratifiedShuffleSplits } from '../src/stratified-split.js';

describe('stratifiedShuffleSplits', () => {
  it('partitions every split into ceil(testSize·n) test samples with class proportions kept', () => {
    const y = Uint8Array.from([...Array(30).fill(1), ...Array(70).fill(0)]);
    const splits = stratifiedShuffleSplits(y, 10, 0.1, createRng(3));
    expect(splits).toHaveLength(10);
    for (const s of splits) {
      expect(s.test.length).toBe(10);
      expect(s.train.length).toBe(90);
      expect(new Set([...s.train, ...s.test]).size).toBe(100);
      expect(Array.from(s.test).filter((i) => y[i] === 1).length).toBe(3);
    }
    expect(Array.from(splits[0]!.test)).not.toEqual(Array.from(splits[1]!.test));
  });

  it('is a partition with both classes on both sides for any sizes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 2, max: 40 }), fc.double({ min: 0.05, max: 0.6, noNaN: true }), fc.integer(), (a, b, t, seed) => {
        const y = Uint8Array.from([...Array(a).fill(1), ...Array(b).fill(0)]);
        if (Math.ceil(t * (a + b)) < 2 || a + b - Math.ceil(t * (a + b)) < 2) return;
        for (const s of stratifiedShuffleSplits(y, 2, t, createRng(seed))) {
          expect(s.test.length).toBe(Math.ceil(t * (a + b)));
          expect(new Set([...s.train, ...s.test]).size).toBe(a + b);
          for (const side of [s.train, s.test]) expect(new Set(Array.from(side).map((i) => y[i])).size).toBe(2);
        }
      }),
      { seed: 5, numRuns: 200 },
    );
  });

  it('is deterministic given the seed', () => {
    const y = Uint8Array.from([0, 0, 0, 1, 1, 1, 0, 1]);
    const a = stratifiedShuffleSplits(y, 3, 0.25, createRng(9));
    const b = stratifiedShuffleSplits(y, 3, 0.25, createRng(9));
    expect(a.map((s) => Array.from(s.test))).toEqual(b.map((s) => Array.from(s.test)));
  });

  it('rejects one class, singleton classes and bad sizes', () => {
    expect(() => stratifiedShuffleSplits([0, 0, 0], 1, 0.3, createRng(0))).toThrow(SingleClassError);
    expect(() => stratifiedShuffleSplits([0, 0, 1], 1, 0.3, createRng(0))).toThrow(SingleClassError);
    expect(() => stratifiedShuffleSplits([0, 0, 1, 1], 1, 1.2, createRng(0))).toThrow(InvalidOptionError);
    expect(() => stratifiedShuffleSplits([0, 0, 1, 1], 0, 0.5, createRng(0))).toThrow(InvalidOptionError);
  });
});
