import { initBackend, tf } from '@metanet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracy, unlearningAccuracies } from '../src/accuracy.js';
import { EmptyInputError, LabelRangeError, NonFiniteInputError, ShapeMismatchError } from '../src/errors.js';
import { labels, rows } from './helpers.js';

beforeAll(async () => {
  await initBackend();
});

describe('accuracy', () => {
  it('counts argmax hits', () => {
    const logits = rows([
      [2, 1, 0],
      [0, 3, 1],
      [0, 0, 5],
      [9, 0, 0],
    ]);
    expect(accuracy(logits, labels([0, 1, 2, 1]))).toBe(0.75);
  });

  it('breaks ties toward the lowest class, as argmax does', () => {
    expect(accuracy(rows([[1, 1]]), labels([0]))).toBe(1);
    expect(accuracy(rows([[1, 1]]), labels([1]))).toBe(0);
  });

  it('accepts -Infinity logits (a masked class never wins)', () => {
    expect(accuracy(rows([[-Infinity, 0], [-Infinity, -Infinity]]), labels([0, 0]))).toBe(0.5);
  });

  it('reads tensors like host matrices', () => {
    const t = tf.tensor2d([[0, 1], [1, 0], [3, 2]]);
    const y = tf.tensor1d([1, 1, 0], 'int32');
    expect(accuracy(t, y)).toBeCloseTo(2 / 3, 12);
    t.dispose();
    y.dispose();
  });

  it('throws typed errors on bad input', () => {
    expect(() => accuracy(rows([[NaN, 1]]), labels([0]))).toThrow(NonFiniteInputError);
    expect(() => accuracy(rows([[0, 1]]), labels([2]))).toThrow(LabelRangeError);
    expect(() => accuracy(rows([[0, 1]]), labels([0, 1]))).toThrow(ShapeMismatchError);
    expect(() => accuracy(rows([]), labels([]))).toThrow(EmptyInputError);
  });
});

describe('unlearningAccuracies', () => {
  const split = (logitRows: number[][], ys: number[]) => ({ logits: rows(logitRows), labels: labels(ys) });

  it('reports percentages with UA = 100 − forget accuracy', () => {
    const r = unlearningAccuracies({
      forget: split([[1, 0], [0, 1], [0, 1], [0, 1]], [0, 0, 0, 0]), // 1 of 4 right
      retain: split([[0, 1], [0, 1]], [1, 1]), // 2 of 2
      test: split([[1, 0], [0, 1], [1, 0], [1, 0], [1, 0]], [0, 1, 1, 1, 0]), // 3 of 5
      testForget: split([[0, 1], [1, 0]], [0, 0]), // 1 of 2
      testRetain: split([[1, 0]], [1]), // 0 of 1
    });
    expect(r).toEqual({ UA: 75, RA: 100, TA: 60, forgetAcc: 25, retainAcc: 100, testAcc: 60, testForgetAcc: 50, testRetainAcc: 0 });
  });

  it('omits the test-forget and test-retain fields when those splits are absent', () => {
    const s = split([[1, 0]], [0]);
    const r = unlearningAccuracies({ forget: s, retain: s, test: s });
    expect(r.UA).toBe(0);
    expect('testForgetAcc' in r).toBe(false);
    expect('testRetainAcc' in r).toBe(false);
  });

  it('throws on an empty forget set', () => {
    const s = split([[1, 0]], [0]);
    expect(() => unlearningAccuracies({ forget: split([], []), retain: s, test: s })).toThrow(EmptyInputError);
  });
});
