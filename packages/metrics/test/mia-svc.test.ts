import { describe, expect, it } from 'vitest';
import { EmptyInputError, InvalidOptionError, SingleClassError } from '../src/errors.js';
import { hostMatrix } from '../src/matrix.js';
import { svcMiaEfficacy } from '../src/mia-svc.js';
import { createRng } from '@metanet/tensor/rng';

/** Two-class logits whose softmax gives class 0 the probability `p`. */
function withConfidence(ps: number[]) {
  const values = new Float64Array(ps.length * 2);
  ps.forEach((p, i) => {
    values[2 * i] = Math.log(p);
    values[2 * i + 1] = Math.log(1 - p);
  });
  return { logits: hostMatrix(values, ps.length, 2), labels: new Int32Array(ps.length) };
}

const draw = (n: number, lo: number, hi: number, seed: number): number[] => {
  const rng = createRng(seed);
  const r = (): number => rng.uniform();
  return Array.from({ length: n }, () => lo + (hi - lo) * r());
};

const retain = withConfidence(draw(120, 0.95, 0.999, 1)); // members: confident
const test = withConfidence(draw(60, 0.3, 0.6, 2)); // non-members: unsure

describe('svcMiaEfficacy', () => {
  it('calls a forget set that looks like test data fully forgotten', async () => {
    const r = await svcMiaEfficacy({ retain, test, forget: withConfidence(draw(40, 0.32, 0.58, 3)) });
    expect(r.efficacy).toBe(1);
    expect(r.samplesPerGroup).toBe(60);
  });

  it('calls a forget set that looks like training data not forgotten', async () => {
    const r = await svcMiaEfficacy({ retain, test, forget: withConfidence(draw(40, 0.96, 0.998, 4)) });
    expect(r.efficacy).toBe(0);
  });

  it('reports the fraction predicted non-member on a mixed forget set', async () => {
    const forget = withConfidence([...draw(30, 0.96, 0.998, 5), ...draw(10, 0.32, 0.58, 6)]);
    expect((await svcMiaEfficacy({ retain, test, forget })).efficacy).toBe(0.25);
  });

  it('is deterministic given the seed and honours maxPerGroup', async () => {
    const forget = withConfidence(draw(50, 0.5, 1, 7));
    const a = await svcMiaEfficacy({ retain, test, forget }, { seed: 3, maxPerGroup: 20 });
    const b = await svcMiaEfficacy({ retain, test, forget }, { seed: 3, maxPerGroup: 20 });
    expect(a).toEqual(b);
    expect(a.samplesPerGroup).toBe(20);
  });

  it('works on the multi-column probabilities feature', async () => {
    const r = await svcMiaEfficacy({ retain, test, forget: withConfidence(draw(20, 0.35, 0.55, 8)) }, { feature: 'probabilities' });
    expect(r.efficacy).toBe(1);
  });

  it('throws typed errors on bad input', async () => {
    const same = withConfidence(Array(10).fill(0.7));
    await expect(svcMiaEfficacy({ retain: same, test: same, forget: same })).rejects.toThrow(SingleClassError);
    await expect(svcMiaEfficacy({ retain, test, forget: withConfidence([]) })).rejects.toThrow(EmptyInputError);
    await expect(svcMiaEfficacy({ retain, test, forget: retain }, { C: -1 })).rejects.toThrow(InvalidOptionError);
  });
});
