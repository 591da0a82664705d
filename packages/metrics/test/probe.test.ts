import { describe, expect, it } from 'vitest';
import { InvalidOptionError, NonFiniteInputError, SingleClassError } from '../src/errors.js';
import { hostMatrix } from '../src/matrix.js';
import { probeRecoverability } from '../src/probe.js';
import { createRng } from '@metanet/tensor/rng';

/**
 * Gaussian-ish class clusters in F dims. `forgetSeparation` scales how far
 * class 0 sits from the others: 0 puts it on top of class 1 (knowledge
 * erased), large keeps it apart (knowledge kept). Features are made strongly
 * correlated by adding a shared component, as penultimate ReLU features are.
 */
function clusters(perClass: number, k: number, f: number, forgetSeparation: number, seed: number) {
  const rng = createRng(seed);
  const r = (): number => rng.uniform();
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const centres: number[][] = Array.from({ length: k }, (_, c) => Array.from({ length: f }, (_, j) => (j === c % f ? 4 : 0)));
  centres[0] = centres[1]!.map((v, j) => v + forgetSeparation * (j === 0 ? 1 : 0));
  const values = new Float64Array(perClass * k * f);
  const labels = new Int32Array(perClass * k);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < perClass; i++) {
      const row = c * perClass + i;
      labels[row] = c;
      const shared = 20 * r();
      for (let j = 0; j < f; j++) values[row * f + j] = centres[c]![j]! + gauss() + shared;
    }
  }
  return { features: hostMatrix(values, perClass * k, f), labels };
}

describe('probeRecoverability', () => {
  it('recovers a forgotten class whose features are still apart (a filter)', () => {
    const { features, labels } = clusters(40, 4, 6, 8, 1);
    const r = probeRecoverability(features, labels, { forgetClasses: [0] });
    expect(r.forgetAuc).toBeGreaterThan(0.98);
    expect(r.forgetAccuracy).toBeGreaterThan(0.9);
    expect(r.retainAccuracy).toBeGreaterThan(0.9);
    expect(r.trainSize + r.testSize).toBe(160);
  });

  it('cannot recover a class whose features merged with another (real forgetting)', () => {
    const { features, labels } = clusters(40, 4, 6, 0, 2);
    const r = probeRecoverability(features, labels, { forgetClasses: [0] });
    expect(r.forgetAuc).toBeLessThan(0.85);
    expect(r.forgetAccuracy).toBeLessThan(0.75);
  });

  it('is deterministic given the seed', () => {
    const { features, labels } = clusters(20, 3, 4, 2, 3);
    const a = probeRecoverability(features, labels, { forgetClasses: [0, 2], seed: 5, epochs: 50 });
    const b = probeRecoverability(features, labels, { forgetClasses: [0, 2], seed: 5, epochs: 50 });
    expect(a).toEqual(b);
  });

  it('reports the held-out recall of every class, equal to forgetAccuracy of a call per class', () => {
    const { features, labels } = clusters(30, 4, 5, 1, 6);
    const r = probeRecoverability(features, labels, { forgetClasses: [0], numClasses: 5, epochs: 60 });
    expect(r.classAccuracy).toHaveLength(5);
    for (const c of [0, 1, 2, 3]) {
      expect(r.classAccuracy[c]).toBe(probeRecoverability(features, labels, { forgetClasses: [c], numClasses: 5, epochs: 60 }).forgetAccuracy);
    }
    // Class 0 sits almost on class 1, so their recalls are the low ones; class 4 has no sample at all.
    expect(Math.min(r.classAccuracy[0]!, r.classAccuracy[1]!)).toBeLessThan(Math.min(r.classAccuracy[2]!, r.classAccuracy[3]!));
    expect(r.classAccuracy[4]).toBeNaN();
  });

  it('throws typed errors on bad input', () => {
    const { features, labels } = clusters(10, 3, 2, 2, 4);
    expect(() => probeRecoverability(features, labels, { forgetClasses: [] })).toThrow(InvalidOptionError);
    expect(() => probeRecoverability(features, labels, { forgetClasses: [7], numClasses: 8 })).toThrow(SingleClassError);
    const bad = hostMatrix(Float64Array.from(features.values, (v, i) => (i === 3 ? NaN : v)), features.rows, features.cols);
    expect(() => probeRecoverability(bad, labels, { forgetClasses: [0] })).toThrow(NonFiniteInputError);
  });
});
