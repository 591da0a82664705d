import { describe, expect, it } from 'vitest';
import { SingleClassError } from '../src/errors.js';
import { rocAuc } from '../src/roc-auc.js';

describe('rocAuc', () => {
  it('counts positive-over-negative pairs, ties as one half', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 14); // sklearn's example
    expect(rocAuc([1, 2, 3], [false, true, true])).toBe(1);
    expect(rocAuc([1, 1], [0, 1])).toBe(0.5);
  });

  it('needs both classes', () => {
    expect(() => rocAuc([1, 2], [1, 1])).toThrow(SingleClassError);
  });
});
