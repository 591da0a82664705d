import { describe, expect, it } from 'vitest';
import { InvalidOptionError, NonFiniteInputError } from '../src/errors.js';
import { miaFeatures, type MiaFeature } from '../src/mia-features.js';
import { labels, rows } from './helpers.js';

// softmax(log ½, log ¼, log ¼) = (½, ¼, ¼)
const logits = rows([
  [Math.log(0.5), Math.log(0.25), Math.log(0.25)],
  [0, -Infinity, 0],
]);
const y = labels([0, 1]);
const col = (f: MiaFeature) => Array.from(miaFeatures(logits, y, f).values);

describe('miaFeatures', () => {
  it('confidence is the true-label probability', () => {
    const c = col('confidence');
    expect(c[0]).toBeCloseTo(0.5, 14);
    expect(c[1]).toBe(0);
  });

  it('entropy is in nats with 0 log 0 = 0', () => {
    const h = col('entropy');
    expect(h[0]).toBeCloseTo(1.5 * Math.LN2, 14);
    expect(h[1]).toBeCloseTo(Math.LN2, 14);
  });

  it("modified entropy follows Song & Mittal, with log 0 clipped at log 1e-12", () => {
    const h = col('modified-entropy');
    expect(h[0]).toBeCloseTo(-0.5 * Math.log(0.5) - 2 * 0.25 * Math.log(0.75), 14);
    // p_y = 0: −(1 − 0) log(1e-12) − 2 · ½ log ½
    expect(h[1]).toBeCloseTo(-Math.log(1e-12) - Math.log(0.5), 10);
  });

  it('correctness and probabilities', () => {
    expect(col('correctness')).toEqual([1, 0]);
    const p = miaFeatures(logits, y, 'probabilities');
    expect(p.cols).toBe(3);
    expect(Array.from(p.values).map((v) => Number(v.toFixed(12)))).toEqual([0.5, 0.25, 0.25, 0.5, 0, 0.5]);
  });

  it('rejects unknown features and NaN logits', () => {
    expect(() => miaFeatures(logits, y, 'loss' as MiaFeature)).toThrow(InvalidOptionError);
    expect(() => miaFeatures(rows([[NaN, 0]]), labels([0]), 'entropy')).toThrow(NonFiniteInputError);
  });
});
