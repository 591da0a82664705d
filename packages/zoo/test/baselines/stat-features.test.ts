import { describe, expect, it } from 'vitest';
import { STAT_NAMES, statFeatures, tensorStats } from '../../src/baselines/stat-features';

describe('StatNN features', () => {
  it('are mean, unbiased variance and linearly interpolated quantiles, as torch computes them', () => {
    // values 1, 2, 4, 10 (given unsorted): mean 4.25; Σ(x−m)² = 10.5625+5.0625+0.0625+33.0625 = 48.75, /3 = 16.25.
    // torch.quantile at q·(n−1): q25 → pos 0.75 → 1 + 0.75·1 = 1.75; q50 → pos 1.5 → 3; q75 → pos 2.25 → 4 + 0.25·6 = 5.5.
    const s = Array.from(tensorStats([4, 10, 1, 2]));
    const want = [4.25, 16.25, 1, 1.75, 3, 5.5, 10];
    s.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));
  });

  it('concatenate 7 numbers per weight and bias tensor in parameter order', () => {
    const weight = new Float32Array([0.5, -0.5, 1.5, -1.5, 0, 3]); // a 2×3 weight
    const bias = new Float32Array([2, -2]);
    const f = statFeatures({ params: [weight, bias] });
    expect(f).toHaveLength(2 * STAT_NAMES.length);
    // weight: mean 0.5; deviations 0,−1,1,−2,−0.5,2.5 → Σ² = 12.5, /5 = 2.5; sorted −1.5,−0.5,0,0.5,1.5,3:
    // q25 pos 1.25 → −0.5 + 0.25·0.5 = −0.375; q50 pos 2.5 → 0.25; q75 pos 3.75 → 0.5 + 0.75·1 = 1.25.
    const w = [0.5, 2.5, -1.5, -0.375, 0.25, 1.25, 3];
    // bias: mean 0, var (4+4)/1 = 8, q25 pos 0.25 → −1, q50 0, q75 1.
    const b = [0, 8, -2, -1, 0, 1, 2];
    Array.from(f).forEach((v, i) => expect(v).toBeCloseTo([...w, ...b][i]!, 6));
  });

  it('give a one-element tensor variance 0 instead of torch\'s NaN', () => {
    expect(Array.from(tensorStats([3]))).toEqual([3, 0, 3, 3, 3, 3, 3]);
  });
});
