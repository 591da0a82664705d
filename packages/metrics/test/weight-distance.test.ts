import { initBackend, tf } from '@metanet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { NonFiniteInputError, ShapeMismatchError } from '../src/errors.js';
import { weightDistance } from '../src/weight-distance.js';

beforeAll(async () => {
  await initBackend();
});

describe('weightDistance', () => {
  it('is the ℓ2 norm of the difference over all tensors', () => {
    const a = [Float32Array.from([1, 2]), Float32Array.from([3])];
    const b = [Float32Array.from([1, 0]), Float32Array.from([-1])];
    expect(weightDistance(a, b)).toBeCloseTo(Math.sqrt(4 + 16), 12);
    expect(weightDistance(a, a)).toBe(0);
  });

  it('does not overflow on huge differences', () => {
    expect(weightDistance([Float64Array.from([3e200, 0])], [Float64Array.from([0, 4e200])])).toBeCloseTo(5e200, -188);
  });

  it('reads tensors', () => {
    const a = tf.tensor2d([[3, 0], [0, 0]]);
    const b = tf.tensor2d([[0, 0], [0, 4]]);
    expect(weightDistance([a], [b])).toBeCloseTo(5, 12);
    a.dispose();
    b.dispose();
  });

  it('rejects misaligned lists and non-finite weights', () => {
    expect(() => weightDistance([new Float32Array(2)], [])).toThrow(ShapeMismatchError);
    expect(() => weightDistance([new Float32Array(2)], [new Float32Array(3)])).toThrow(ShapeMismatchError);
    expect(() => weightDistance([Float32Array.from([NaN])], [Float32Array.from([0])])).toThrow(NonFiniteInputError);
  });
});
