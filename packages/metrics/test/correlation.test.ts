import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kendallTau, rSquared } from '../src/correlation.js';
import { DegenerateInputError, EmptyInputError, NonFiniteInputError, ShapeMismatchError } from '../src/errors.js';

describe('kendallTau', () => {
  it('matches hand-counted concordant and discordant pairs', () => {
    expect(kendallTau([1, 2, 3], [1, 3, 2])).toBeCloseTo(1 / 3, 14); // C = 2, D = 1
    expect(kendallTau([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
  });

  it('applies the τ-b tie correction (scipy: 0.816496580927726)', () => {
    // Pairs: (0,1) tied in x, (0,2) and (1,2) concordant → 2 / √(2 · 3).
    expect(kendallTau([1, 1, 2], [1, 2, 3])).toBeCloseTo(2 / Math.sqrt(6), 14);
  });

  it('is invariant to strictly increasing transforms and flips sign under negation', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -5, max: 5 })), { minLength: 3, maxLength: 30 }), (pairs) => {
        const x = pairs.map((p) => p[0]);
        const y = pairs.map((p) => p[1]);
        if (new Set(x).size < 2 || new Set(y).size < 2) return;
        const t = kendallTau(x, y);
        expect(kendallTau(x.map((v) => Math.exp(v)), y)).toBeCloseTo(t, 12);
        expect(kendallTau(x.map((v) => -v), y)).toBeCloseTo(-t, 12);
        expect(Math.abs(t)).toBeLessThanOrEqual(1 + 1e-12);
      }),
      { seed: 2, numRuns: 200 },
    );
  });

  it('throws on constant input, mismatch, too few pairs and NaN', () => {
    expect(() => kendallTau([1, 1, 1], [1, 2, 3])).toThrow(DegenerateInputError);
    expect(() => kendallTau([1, 2], [1])).toThrow(ShapeMismatchError);
    expect(() => kendallTau([1], [1])).toThrow(EmptyInputError);
    expect(() => kendallTau([1, NaN], [1, 2])).toThrow(NonFiniteInputError);
  });
});

describe('rSquared', () => {
  it('matches the hand value', () => {
    // mean 2, SS_tot = 2, SS_res = 0.25 + 0 + 0.25 = 0.5 → 0.75
    expect(rSquared([1, 2, 3], [1.5, 2, 2.5])).toBeCloseTo(0.75, 14);
    expect(rSquared([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(rSquared([1, 2, 3], [3, 2, 1])).toBeCloseTo(-3, 14);
  });

  it('does not overflow on values near the float64 limit', () => {
    expect(rSquared([1e300, -1e300, 0], [1e300, -1e300, 0])).toBe(1);
    expect(rSquared([1e300, -1e300, 0], [0.5e300, -0.5e300, 0])).toBeCloseTo(0.75, 12);
  });

  it('follows sklearn on a constant target instead of returning NaN', () => {
    expect(rSquared([2, 2], [2, 2])).toBe(1);
    expect(rSquared([2, 2], [1, 2])).toBe(0);
  });
});
