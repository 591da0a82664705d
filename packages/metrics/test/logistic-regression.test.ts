import { describe, expect, it } from 'vitest';
import { EmptyInputError, NonFiniteInputError, SingleClassError } from '../src/errors.js';
import { fitLogisticRegression, predictLogisticProba } from '../src/logistic-regression.js';

describe('fitLogisticRegression', () => {
  it('recovers the unregularised MLE on a hand-solvable case', () => {
    // x = 0: labels {0, 1} → P = ½ → b = 0; x = 1: labels {0, 1, 1, 1} → P = ¾ → w + b = ln 3.
    const x = Float64Array.from([0, 0, 1, 1, 1, 1]);
    const y = Uint8Array.from([0, 1, 0, 1, 1, 1]);
    const m = fitLogisticRegression(x, y, 1, { C: 1e9 });
    expect(m.intercept).toBeCloseTo(0, 6);
    expect(m.weights[0]).toBeCloseTo(Math.log(3), 6);
    const p = predictLogisticProba(m, Float64Array.from([0, 1]));
    expect(p[0]).toBeCloseTo(0.5, 6);
    expect(p[1]).toBeCloseTo(0.75, 6);
  });

  it('satisfies the L2 stationarity condition w = C Σ (y − p) x, intercept unpenalised', () => {
    // Separable data: without the penalty w would diverge; with C = 1 it is finite.
    const x = Float64Array.from([-2, -1, 1, 2, 0.5]);
    const y = Uint8Array.from([0, 0, 1, 1, 0]);
    const C = 1;
    const m = fitLogisticRegression(x, y, 1, { C });
    const p = predictLogisticProba(m, x);
    let gw = 0;
    let gb = 0;
    for (let i = 0; i < x.length; i++) {
      gw += (y[i]! - p[i]!) * x[i]!;
      gb += y[i]! - p[i]!;
    }
    expect(m.weights[0]).toBeCloseTo(C * gw, 9);
    expect(gb).toBeCloseTo(0, 9);
    expect(Number.isFinite(m.weights[0]!)).toBe(true);
  });

  it('is symmetric: mirrored data gives zero intercept', () => {
    const m = fitLogisticRegression(Float64Array.from([-1, 1]), Uint8Array.from([0, 1]), 1);
    expect(m.intercept).toBeCloseTo(0, 12);
    // ½w² + 2 log(1 + e^−w) is minimal where w = 2σ(−w).
    const w = m.weights[0]!;
    expect(w).toBeCloseTo(2 / (1 + Math.exp(w)), 10);
  });

  it('fits two features', () => {
    // Label = x0 > x1 on a grid; the fit must separate the training points.
    const xs: number[] = [];
    const ys: number[] = [];
    for (let a = 0; a < 5; a++) for (let b = 0; b < 5; b++) if (a !== b) {
      xs.push(a, b);
      ys.push(a > b ? 1 : 0);
    }
    const x = Float64Array.from(xs);
    const m = fitLogisticRegression(x, Uint8Array.from(ys), 2, { C: 100 });
    const p = predictLogisticProba(m, x);
    ys.forEach((label, i) => expect(p[i]! > 0.5 ? 1 : 0).toBe(label));
  });

  it('throws typed errors on one class, no samples or non-finite features', () => {
    expect(() => fitLogisticRegression(Float64Array.from([1, 2]), Uint8Array.from([1, 1]), 1)).toThrow(SingleClassError);
    expect(() => fitLogisticRegression(new Float64Array(0), new Uint8Array(0), 1)).toThrow(EmptyInputError);
    expect(() => fitLogisticRegression(Float64Array.from([1, Infinity]), Uint8Array.from([0, 1]), 1)).toThrow(NonFiniteInputError);
  });
});
