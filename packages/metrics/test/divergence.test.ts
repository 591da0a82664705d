import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activationDistance, jsDivergence, klDivergence, zrf } from '../src/divergence.js';
import { EmptyInputError, ShapeMismatchError } from '../src/errors.js';
import { hostMatrix } from '../src/matrix.js';
import { rows } from './helpers.js';

const L = Math.log;
// Row 0: p = (½, ½), q = (¾, ¼). Row 1: p = q = (1, 0) via −∞.
const p = rows([[0, 0], [0, -Infinity]]);
const q = rows([[L(3), 0], [0, -Infinity]]);

describe('klDivergence', () => {
  it('matches the hand value averaged over rows', () => {
    const row0 = 0.5 * L(0.5 / 0.75) + 0.5 * L(0.5 / 0.25);
    expect(klDivergence(p, q)).toBeCloseTo(row0 / 2, 14);
  });

  it('stays finite when q puts zero mass where p does not', () => {
    const kl = klDivergence(rows([[0, 0]]), rows([[0, -Infinity]]));
    // ½ ln(½ / 1) + ½ ln(½ / 1e-12)
    expect(kl).toBeCloseTo(0.5 * L(0.5) + 0.5 * (L(0.5) - L(1e-12)), 10);
  });
});

describe('jsDivergence', () => {
  it('matches the hand value, in nats and in bits', () => {
    const m = [0.625, 0.375];
    const row0 = 0.5 * (0.5 * L(0.5 / m[0]!) + 0.5 * L(0.5 / m[1]!)) + 0.5 * (0.75 * L(0.75 / m[0]!) + 0.25 * L(0.25 / m[1]!));
    expect(jsDivergence(p, q)).toBeCloseTo(row0 / 2, 14);
    expect(jsDivergence(p, q, { base: 2 })).toBeCloseTo(row0 / 2 / Math.LN2, 14);
  });

  it('reaches ln 2 for disjoint supports', () => {
    expect(jsDivergence(rows([[0, -Infinity]]), rows([[-Infinity, 0]]))).toBeCloseTo(Math.LN2, 14);
  });

  it('is symmetric, non-negative and at most ln 2', () => {
    const row = fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(row, row, (a, b) => {
        const x = hostMatrix(Float64Array.from(a), 1, 3);
        const y = hostMatrix(Float64Array.from(b), 1, 3);
        const d = jsDivergence(x, y);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.LN2 + 1e-12);
        expect(d).toBeCloseTo(jsDivergence(y, x), 12);
      }),
      { seed: 3, numRuns: 200 },
    );
  });
});

describe('activationDistance', () => {
  it('is the mean ℓ2 distance between probability vectors', () => {
    // Row 0: ‖(½ − ¾, ½ − ¼)‖ = √(2/16); row 1: 0.
    expect(activationDistance(p, q)).toBeCloseTo(Math.sqrt(2 / 16) / 2, 14);
  });
});

describe('zrf', () => {
  it('is 1 for identical outputs and 0 for disjoint ones', () => {
    expect(zrf(p, p)).toBeCloseTo(1, 14);
    expect(zrf(rows([[0, -Infinity]]), rows([[-Infinity, 0]]))).toBeCloseTo(0, 14);
  });

  it('is 1 − mean JS in bits', () => {
    expect(zrf(p, q)).toBeCloseTo(1 - jsDivergence(p, q, { base: 2 }), 14);
  });
});

describe('divergence input checks', () => {
  it('rejects mismatched shapes and empty inputs', () => {
    expect(() => jsDivergence(p, rows([[0, 0]]))).toThrow(ShapeMismatchError);
    expect(() => klDivergence(rows([]), rows([]))).toThrow(EmptyInputError);
  });
});
