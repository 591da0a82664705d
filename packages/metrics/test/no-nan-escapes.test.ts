import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accuracy, unlearningAccuracies } from '../src/accuracy.js';
import { kendallTau, rSquared } from '../src/correlation.js';
import { meanCrossEntropy, perSampleCrossEntropy } from '../src/cross-entropy.js';
import { activationDistance, jsDivergence, klDivergence, zrf } from '../src/divergence.js';
import { MetricsError } from '../src/errors.js';
import { hostMatrix, type HostMatrix } from '../src/matrix.js';
import { entropyMia, predictionEntropy } from '../src/mia-entropy.js';
import { MIA_FEATURES, miaFeatures } from '../src/mia-features.js';
import { lossMia } from '../src/mia-loss.js';
import { probeRecoverability } from '../src/probe.js';
import { rocAuc } from '../src/roc-auc.js';
import { weightDistance } from '../src/weight-distance.js';

/**
 * Hostile-input sweep: every metric, fed matrices that mix ordinary values
 * with NaN, ±Infinity, huge magnitudes and out-of-range labels, must either
 * return only finite numbers or throw a MetricsError. Never NaN, never a
 * TypeError or RangeError from deep inside.
 */
const value = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 1e300, -1e300, 0, -0) },
);

const matrix = (maxRows: number) =>
  fc.record({ rows: fc.integer({ min: 0, max: maxRows }), cols: fc.integer({ min: 0, max: 4 }) }).chain(({ rows, cols }) =>
    fc.array(value, { minLength: rows * cols, maxLength: rows * cols }).map((v): HostMatrix => hostMatrix(Float64Array.from(v), rows, cols)),
  );

const labelsFor = (m: HostMatrix) => fc.array(fc.integer({ min: -1, max: Math.max(m.cols, 1) }), { minLength: m.rows, maxLength: m.rows }).map((l) => Int32Array.from(l));

const labelled = (maxRows: number) => matrix(maxRows).chain((m) => fc.tuple(fc.constant(m), labelsFor(m)));

function finiteOrTyped(run: () => unknown): void {
  let out: unknown;
  try {
    out = run();
  } catch (e) {
    expect(e).toBeInstanceOf(MetricsError);
    expect(String((e as Error).message)).not.toContain('\n');
    return;
  }
  const numbers: number[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'number') numbers.push(v);
    else if (ArrayBuffer.isView(v)) numbers.push(...Array.from(v as Float64Array));
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  collect(out);
  for (const n of numbers) expect(Number.isFinite(n)).toBe(true);
}

const runs = { seed: 42, numRuns: 200 };

describe('no NaN escapes', () => {
  it('accuracy, cross-entropy, features, entropy', () => {
    fc.assert(
      fc.property(labelled(6), ([m, y]) => {
        finiteOrTyped(() => accuracy(m, y));
        finiteOrTyped(() => perSampleCrossEntropy(m, y));
        finiteOrTyped(() => meanCrossEntropy(m, y));
        for (const f of MIA_FEATURES) finiteOrTyped(() => miaFeatures(m, y, f));
        finiteOrTyped(() => predictionEntropy(m));
        finiteOrTyped(() => unlearningAccuracies({ forget: { logits: m, labels: y }, retain: { logits: m, labels: y }, test: { logits: m, labels: y } }));
      }),
      runs,
    );
  });

  it('divergences and weight distance', () => {
    fc.assert(
      fc.property(matrix(5), matrix(5), (a, b) => {
        for (const f of [klDivergence, jsDivergence, activationDistance, zrf]) {
          finiteOrTyped(() => f(a, a));
          finiteOrTyped(() => f(a, b));
        }
        finiteOrTyped(() => weightDistance([a.values], [b.values]));
      }),
      runs,
    );
  });

  it('loss and entropy MIAs', () => {
    const losses = fc.array(value, { maxLength: 40 });
    fc.assert(
      fc.property(losses, losses, matrix(30), matrix(30), (a, b, m1, m2) => {
        finiteOrTyped(() => lossMia(a, b, { splits: 2 }));
        finiteOrTyped(() => entropyMia(m1, m2, { splits: 2 }));
      }),
      { ...runs, numRuns: 100 },
    );
  });

  it('correlations and AUC', () => {
    const xs = fc.array(value, { maxLength: 12 });
    fc.assert(
      fc.property(xs, xs, fc.array(fc.boolean(), { maxLength: 12 }), (x, y, flags) => {
        finiteOrTyped(() => kendallTau(x, y));
        finiteOrTyped(() => rSquared(x, y));
        finiteOrTyped(() => rocAuc(x, flags));
      }),
      runs,
    );
  });

  it('probe recoverability', () => {
    fc.assert(
      fc.property(labelled(24), fc.integer({ min: -1, max: 4 }), ([m, y], forget) => {
        finiteOrTyped(() => probeRecoverability(m, y, { forgetClasses: [forget], epochs: 3 }));
      }),
      { ...runs, numRuns: 100 },
    );
  });
});
