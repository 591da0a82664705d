import { describe, expect, it } from 'vitest';
import { tf, initBackend } from '../src/index';
import { checkGradient, expectClose, floats, onStockCpu } from './helpers';

const SHAPES: { a: number[]; b: number[]; tA: boolean; tB: boolean }[] = [];
for (const [tA, tB] of [[true, false], [false, true], [true, true], [false, false]] as const) {
  // (m, k, n) chosen so, for abᵀ, both rewrite strategies (transpose an input, or the output) are hit.
  for (const [m, k, n] of [[3, 5, 4], [40, 6, 2], [2, 6, 40], [1, 1, 1], [7, 0, 3]] as const) {
    SHAPES.push({ a: tA ? [k, m] : [m, k], b: tB ? [n, k] : [k, n], tA, tB });
  }
  // Batched and broadcast batch dims.
  SHAPES.push({ a: tA ? [3, 4, 2] : [3, 2, 4], b: tB ? [3, 5, 4] : [3, 4, 5], tA, tB });
  SHAPES.push({ a: tA ? [1, 4, 2] : [1, 2, 4], b: tB ? [2, 3, 5, 4] : [2, 3, 4, 5], tA, tB });
}

describe('BatchMatMul override (wasm)', () => {
  it('matches stock cpu matMul for every transpose combination and shape', async () => {
    for (const [i, s] of SHAPES.entries()) {
      const av = floats(s.a.reduce((p, d) => p * d, 1), 100 + i);
      const bv = floats(s.b.reduce((p, d) => p * d, 1), 200 + i);
      const expected = await onStockCpu(() => tf.tidy(() => {
        const out = tf.matMul(tf.tensor(av, s.a), tf.tensor(bv, s.b), s.tA, s.tB);
        return { shape: out.shape, values: out.dataSync() };
      }));
      await initBackend({ backend: 'wasm' });
      const before = tf.memory().numTensors;
      const got = tf.tidy(() => {
        const out = tf.matMul(tf.tensor(av, s.a), tf.tensor(bv, s.b), s.tA, s.tB);
        return { shape: out.shape, values: out.dataSync() };
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(got.shape, JSON.stringify(s)).toEqual(expected.shape);
      try {
        expectClose(got.values, expected.values, 1e-4, 1e-5);
      } catch (e) {
        throw new Error(`${JSON.stringify(s)}: ${(e as Error).message}`);
      }
    }
  });

  it('frees its temporary transposes (wasm heap tensors stable)', async () => {
    await initBackend({ backend: 'wasm' });
    const a = tf.tensor(floats(60, 1), [12, 5]);
    const b = tf.tensor(floats(48, 2), [12, 4]);
    tf.matMul(a, b, true, false).dispose();
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const ids = backend.numDataIds();
    for (let i = 0; i < 5; i++) {
      tf.matMul(a, b, true, false).dispose();
      tf.matMul(b, a, true, false).dispose();
      tf.matMul(a, a, false, true).dispose();
      tf.matMul(b, a, true, false).dispose();
    }
    expect(backend.numDataIds()).toBe(ids);
  });

  it('gives correct gradients through transposed products (finite differences)', async () => {
    await initBackend({ backend: 'wasm' });
    const b = tf.tensor(floats(6 * 4, 5), [6, 4]);
    const x = tf.tensor(floats(6 * 3, 6), [6, 3]);
    checkGradient((v) => tf.sum(tf.tanh(tf.matMul(v, b, true, false))), x);
    checkGradient((v) => tf.sum(tf.tanh(tf.matMul(b, v, true, false))), x);
    checkGradient((v) => tf.sum(tf.tanh(tf.matMul(v, v, false, true))), x);
  });
});
