import { describe, expect, it } from 'vitest';
import { EmptyInputError, NonFiniteInputError } from '../src/errors.js';
import { hostMatrix } from '../src/matrix.js';
import { entropyMia, predictionEntropy } from '../src/mia-entropy.js';
import { createRng } from '@metanet/tensor/rng';
import { rows } from './helpers.js';

/** Two-class logits with P(class 0) drawn from [lo, hi]. */
function confident(n: number, lo: number, hi: number, seed: number) {
  const rng = createRng(seed);
  const r = (): number => rng.uniform();
  const v = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const p = lo + (hi - lo) * r();
    v[2 * i] = Math.log(p);
    v[2 * i + 1] = Math.log(1 - p);
  }
  return hostMatrix(v, n, 2);
}

describe('predictionEntropy', () => {
  it('is ln K for uniform logits and 0 for a certain one', () => {
    const h = predictionEntropy(rows([[3, 3, 3, 3], [0, -Infinity, -Infinity, -Infinity]]));
    expect(h[0]).toBeCloseTo(Math.log(4), 14);
    expect(h[1]).toBe(0);
  });

  it('rejects NaN and empty logits', () => {
    expect(() => predictionEntropy(rows([[NaN, 0]]))).toThrow(NonFiniteInputError);
    expect(() => predictionEntropy(rows([]))).toThrow(EmptyInputError);
  });
});

describe('entropyMia', () => {
  it('separates confident members from unsure non-members', () => {
    expect(entropyMia(confident(60, 0.97, 0.999, 1), confident(90, 0.5, 0.7, 2)).accuracy).toBe(1);
  });

  it('is near chance when both groups come from one distribution', () => {
    const r = entropyMia(confident(300, 0.5, 1, 3), confident(300, 0.5, 1, 4));
    expect(r.accuracy).toBeGreaterThan(0.35);
    expect(r.accuracy).toBeLessThan(0.65);
  });
});
