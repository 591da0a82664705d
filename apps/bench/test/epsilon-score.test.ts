import { describe, expect, it } from 'vitest';
import { epsilonScore, type EpsilonModel } from '../src/bench/sections/epsilon';

/** Models whose loss on each forget example is given, with fixed RA and TA. */
function models(lossesPerModel: number[][], RA = 90, TA = 80): EpsilonModel[] {
  return lossesPerModel.map((losses) => ({ losses, RA, TA, seconds: 1 }));
}

describe('epsilonScore (the NeurIPS 2023 challenge score)', () => {
  it('scores 1 when unlearned runs are indistinguishable from retrained ones', () => {
    const same = [[0.1, 2.0], [0.3, 2.2], [0.2, 2.1], [0.4, 2.3]];
    const s = epsilonScore('m', models(same), models(same));
    expect(s.epsilons).toEqual([0, 0]);
    expect(s.forgettingQuality).toBe(1);
    expect(s.score).toBe(1);
  });

  it('gives ε = ∞ (null) and score 0 on examples whose losses separate perfectly', () => {
    const unlearned = models([[0.01, 5], [0.02, 6], [0.03, 7]]);
    const retrained = models([[1.0, 5], [1.1, 6], [1.2, 7]]);
    const s = epsilonScore('m', unlearned, retrained);
    // Example 0 separates perfectly; example 1 has identical losses in both groups.
    expect(s.epsilons).toEqual([null, 0]);
    expect(s.forgettingQuality).toBe(0.5);
    expect(s.score).toBe(0.5);
  });

  it('bins a partly separable example and scales by the RA and TA ratios', () => {
    // 4 vs 4 runs. A threshold between 0.3 and 0.4 has FPR 0, which bounds nothing finite; one
    // between 0.4 and 0.6 errs once each way (FPR = FNR = 1/4): ε = ln((1 − 1/4) / (1/4)) = ln 3
    // ≈ 1.10, the third bin of 0.5, worth 2^−2 = 1/4.
    const unlearned = models([[0.1], [0.2], [0.3], [0.6]], 90, 80);
    const retrained = models([[0.4], [0.7], [0.8], [0.9]], 100, 100);
    const s = epsilonScore('m', unlearned, retrained);
    expect(s.epsilons[0]).toBeCloseTo(Math.log(3), 10);
    expect(s.forgettingQuality).toBe(0.25);
    expect(s.score).toBeCloseTo(0.25 * 0.9 * 0.8, 12);
  });
});
