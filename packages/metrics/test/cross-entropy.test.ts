import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_LOSS, meanCrossEntropy, perSampleCrossEntropy } from '../src/cross-entropy.js';
import { InvalidOptionError, NonFiniteInputError } from '../src/errors.js';
import { hostMatrix } from '../src/matrix.js';
import { labels, rows } from './helpers.js';

describe('perSampleCrossEntropy', () => {
  it('matches hand-computed losses', () => {
    const losses = perSampleCrossEntropy(rows([[0, 0], [Math.log(3), 0]]), labels([0, 0]));
    expect(losses[0]).toBeCloseTo(Math.LN2, 14); // −log ½
    expect(losses[1]).toBeCloseTo(-Math.log(3 / 4), 14); // softmax(ln 3, 0) = (¾, ¼)
  });

  it('clips a certain wrong prediction to −ln(1e-12) instead of 1e9 or Infinity', () => {
    expect(DEFAULT_MAX_LOSS).toBeCloseTo(27.631021, 5);
    const losses = perSampleCrossEntropy(rows([[1e9, 0], [-Infinity, 0], [0, -Infinity], [1e30, -1e30]]), labels([1, 0, 0, 0]));
    expect(Array.from(losses)).toEqual([DEFAULT_MAX_LOSS, DEFAULT_MAX_LOSS, 0, 0]);
  });

  it('honours a custom clip', () => {
    expect(perSampleCrossEntropy(rows([[10, 0]]), labels([1]), { maxLoss: 5 })[0]).toBe(5);
    expect(() => perSampleCrossEntropy(rows([[10, 0]]), labels([1]), { maxLoss: 0 })).toThrow(InvalidOptionError);
  });

  it('throws a typed error on NaN or +Infinity logits', () => {
    expect(() => perSampleCrossEntropy(rows([[NaN, 0]]), labels([0]))).toThrow(NonFiniteInputError);
    expect(() => perSampleCrossEntropy(rows([[Infinity, 0]]), labels([0]))).toThrow(NonFiniteInputError);
    expect(() => perSampleCrossEntropy(rows([[-Infinity, -Infinity]]), labels([0]))).toThrow(NonFiniteInputError);
  });

  it('is finite, in [0, maxLoss], and equals the naive formula on moderate logits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 2 }),
        (row, y) => {
          const loss = perSampleCrossEntropy(hostMatrix(Float64Array.from(row), 1, 3), labels([y]))[0]!;
          const naive = -Math.log(Math.exp(row[y]!) / row.reduce((s, v) => s + Math.exp(v), 0));
          expect(loss).toBeGreaterThanOrEqual(0);
          expect(loss).toBeLessThanOrEqual(DEFAULT_MAX_LOSS);
          expect(loss).toBeCloseTo(Math.min(Math.max(naive, 0), DEFAULT_MAX_LOSS), 8);
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });

  it('stays finite for any huge finite logits', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 2, maxLength: 2 }), (row) => {
        const loss = perSampleCrossEntropy(hostMatrix(Float64Array.from(row), 1, 2), labels([1]))[0]!;
        expect(Number.isFinite(loss)).toBe(true);
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});

describe('meanCrossEntropy', () => {
  it('averages the per-sample losses', () => {
    expect(meanCrossEntropy(rows([[0, 0], [0, -Infinity]]), labels([0, 0]))).toBeCloseTo(Math.LN2 / 2, 14);
  });
});
