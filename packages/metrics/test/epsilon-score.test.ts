import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epsilonLowerBound, forgettingQuality, thresholdEpsilon } from '../src/epsilon-score.js';
import { EmptyInputError, InvalidOptionError, NonFiniteInputError } from '../src/errors.js';

describe('epsilonLowerBound', () => {
  it('is the Kairouz bound from one test', () => {
    expect(epsilonLowerBound(0.25, 0.25)).toBeCloseTo(Math.log(3), 14);
    expect(epsilonLowerBound(0.1, 0.5, 0.05)).toBeCloseTo(Math.log((1 - 0.05 - 0.5) / 0.1), 14);
    expect(epsilonLowerBound(0.5, 0.5)).toBe(0);
  });

  it('ignores one-sided zero rates and gives Infinity for a perfect test', () => {
    expect(epsilonLowerBound(0, 0.3)).toBe(0);
    expect(epsilonLowerBound(0, 0)).toBe(Infinity);
    expect(() => epsilonLowerBound(1.5, 0)).toThrow(InvalidOptionError);
  });
});

describe('thresholdEpsilon', () => {
  it('finds the best threshold on a hand-checked case', () => {
    // "unlearned iff score < 4" errs on 1 of 4 unlearned (4) and 1 of 4 retrained (3): ε ≥ ln 3.
    expect(thresholdEpsilon([1, 2, 3, 4], [3, 4, 5, 6])).toBeCloseTo(Math.log(3), 14);
  });

  it('is 0 for identical samples and Infinity for separable ones', () => {
    expect(thresholdEpsilon([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(thresholdEpsilon([5, 6], [1, 2])).toBe(Infinity);
  });

  it('is symmetric in its two samples and never negative', () => {
    const xs = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 15 });
    fc.assert(
      fc.property(xs, xs, (a, b) => {
        const e = thresholdEpsilon(a, b);
        expect(e).toBeGreaterThanOrEqual(0);
        expect(thresholdEpsilon(b, a)).toBe(e);
      }),
      { seed: 8, numRuns: 200 },
    );
  });

  it('rejects empty samples and NaN', () => {
    expect(() => thresholdEpsilon([], [1])).toThrow(EmptyInputError);
    expect(() => thresholdEpsilon([NaN], [1])).toThrow(NonFiniteInputError);
  });
});

describe('forgettingQuality', () => {
  it('halves per ε bin and scores Infinity 0', () => {
    // ε = 0.2 → bin 0 → 1; ln 3 ≈ 1.10 → bin 2 → ¼; ∞ → 0.
    expect(forgettingQuality([0.2, Math.log(3), Infinity])).toBeCloseTo((1 + 0.25 + 0) / 3, 14);
    expect(forgettingQuality([1.1], { binWidth: 1 })).toBe(0.5);
  });

  it('rejects empty input, negative ε and bad bins', () => {
    expect(() => forgettingQuality([])).toThrow(EmptyInputError);
    expect(() => forgettingQuality([-1])).toThrow(NonFiniteInputError);
    expect(() => forgettingQuality([1], { binWidth: 0 })).toThrow(InvalidOptionError);
  });
});
