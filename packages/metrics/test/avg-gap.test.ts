import { describe, expect, it } from 'vitest';
import { avgGap } from '../src/avg-gap.js';
import { NonFiniteInputError } from '../src/errors.js';

describe('avgGap', () => {
  it('averages the absolute gaps to retrain', () => {
    const r = avgGap({ UA: 10, RA: 95, TA: 90, MIA: 20 }, { UA: 12, RA: 99, TA: 89, MIA: 15 });
    expect(r.gaps).toEqual({ UA: 2, RA: 4, TA: 1, MIA: 5 });
    expect(r.avgGap).toBe(3);
  });

  it('is 0 for retrain against itself', () => {
    const g = { UA: 7, RA: 8, TA: 9, MIA: 10 };
    expect(avgGap(g, g).avgGap).toBe(0);
  });

  it('rejects non-finite metrics', () => {
    expect(() => avgGap({ UA: NaN, RA: 0, TA: 0, MIA: 0 }, { UA: 0, RA: 0, TA: 0, MIA: 0 })).toThrow(NonFiniteInputError);
  });
});
