import { describe, expect, it } from 'vitest';
import { EmptyInputError, NonFiniteInputError } from '../src/errors.js';
import { lossMia } from '../src/mia-loss.js';
import { createRng } from '@metanet/tensor/rng';

const uniform = (n: number, lo: number, hi: number, seed: number): Float64Array => {
  const rng = createRng(seed);
  const r = (): number => rng.uniform();
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * r());
};

describe('lossMia', () => {
  it('scores separable groups 1', () => {
    const r = lossMia(uniform(50, 0, 0.1, 1), uniform(80, 2, 3, 2));
    expect(r.accuracy).toBe(1);
    expect(r.samplesPerGroup).toBe(50);
    expect(r.splitAccuracies).toHaveLength(10);
  });

  it('scores identical groups exactly 0.5 (every split predicts one class on a balanced test set)', () => {
    const r = lossMia(new Float64Array(40).fill(1.5), new Float64Array(40).fill(1.5));
    expect(r.accuracy).toBe(0.5);
  });

  it('scores two draws of one distribution near 0.5', () => {
    const r = lossMia(uniform(400, 0, 1, 3), uniform(400, 0, 1, 4), { seed: 1 });
    expect(r.accuracy).toBeGreaterThan(0.35);
    expect(r.accuracy).toBeLessThan(0.65);
  });

  it('stays finite and perfect when one group has 1e9 and Infinity losses (clipped)', () => {
    const filtered = Float64Array.from({ length: 30 }, (_, i) => (i % 2 ? 1e9 : Infinity));
    const r = lossMia(filtered, uniform(30, 0, 0.5, 5));
    expect(r.accuracy).toBe(1);
  });

  it('is deterministic given the seed and varies with it', () => {
    const a = uniform(60, 0, 1, 6);
    const b = uniform(90, 0.3, 1.3, 7);
    expect(Array.from(lossMia(a, b, { seed: 4 }).splitAccuracies)).toEqual(Array.from(lossMia(a, b, { seed: 4 }).splitAccuracies));
    expect(Array.from(lossMia(a, b, { seed: 4 }).splitAccuracies)).not.toEqual(Array.from(lossMia(a, b, { seed: 5 }).splitAccuracies));
  });

  it('honours the split count and test size', () => {
    const r = lossMia(uniform(50, 0, 1, 8), uniform(50, 0.5, 1.5, 9), { splits: 3, testSize: 0.3 });
    expect(r.splitAccuracies).toHaveLength(3);
    // 30 test samples per split → accuracies are multiples of 1/30.
    for (const acc of r.splitAccuracies) expect(Math.abs(acc * 30 - Math.round(acc * 30))).toBeLessThan(1e-9);
  });

  it('throws typed errors on empty groups and NaN losses', () => {
    expect(() => lossMia([], [1, 2])).toThrow(EmptyInputError);
    expect(() => lossMia([1, NaN, 2], [1, 2, 3])).toThrow(NonFiniteInputError);
  });
});
