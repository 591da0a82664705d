import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tf, initBackend } from '../src/index';
import { nativeKernelsOfBackend, setNativeKernelsEnabled } from '../src/kernels/index';
import { NATIVE_SOURCE_SHA256 } from '../src/kernels/native-module';
import { nativeMatMul, NATIVE_NN_MAX_RIGHT, NATIVE_TN_MAX_OUT } from '../src/kernels/native-mat-mul';
import { checkGradient, expectClose, floats, onStockCpu } from './helpers';

// Every tail of the 4×8 micro-kernel: rows 1–3 past a multiple of 4, columns past 8 and 4,
// single columns, and inner dimensions across the 256-row blocks of gemm_tn.
const MS = [1, 3, 4, 5, 7, 13];
const NS = [1, 3, 4, 5, 8, 9, 12, 19, 33];
const KS = [1, 7, 256, 300];

async function stockProduct(av: Float32Array, as: number[], bv: Float32Array, bs: number[], tA: boolean, tB: boolean, bias?: Float32Array, relu = false) {
  return onStockCpu(() =>
    tf.tidy(() => {
      const a = tf.tensor2d(av, as as [number, number]);
      const b = tf.tensor2d(bv, bs as [number, number]);
      const out = bias !== undefined || relu
        ? tf.fused.matMul({ a, b, transposeA: tA, transposeB: tB, bias: bias !== undefined ? tf.tensor1d(bias) : undefined, activation: relu ? 'relu' : 'linear' })
        : tf.matMul(a, b, tA, tB);
      return { shape: out.shape, values: out.dataSync().slice() };
    }),
  );
}

describe('native kernels (wasm)', () => {
  it('are compiled from the committed native/*.c (rebuild with native/build.mjs after editing them)', () => {
    const dir = new URL('../native/', import.meta.url);
    const hash = createHash('sha256');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.c')).sort()) hash.update(readFileSync(new URL(f, dir)));
    expect(hash.digest('hex')).toBe(NATIVE_SOURCE_SHA256);
  });

  it('load on the wasm backend and not on cpu', async () => {
    await initBackend({ backend: 'cpu' });
    expect(nativeKernelsOfBackend(tf.backend())).toBeNull();
    await initBackend({ backend: 'wasm' });
    expect(nativeKernelsOfBackend(tf.backend())).not.toBeNull();
  });

  it('gemm_tn, gemm_nn and the abᵀ route match stock cpu on every tail shape', async () => {
    let checked = 0;
    for (const m of MS) {
      for (const n of NS) {
        for (const k of KS) {
          for (const [tA, tB] of [[true, false], [false, false], [false, true]] as const) {
            const as = tA ? [k, m] : [m, k];
            const bs = tB ? [n, k] : [k, n];
            const seed = m * 1000 + n * 10 + k;
            const av = floats(m * k, seed);
            const bv = floats(k * n, seed + 1);
            const expected = await stockProduct(av, as, bv, bs, tA, tB);
            await initBackend({ backend: 'wasm' });
            const a = tf.tensor(av, as);
            const b = tf.tensor(bv, bs);
            // Called directly, so a shape that silently fell back to the stock path would fail here.
            const info = nativeMatMul(tf.backend(), { a, b, transposeA: tA, transposeB: tB });
            expect(info, `native route for ${JSON.stringify({ m, n, k, tA, tB })}`).not.toBeNull();
            const out = tf.engine().makeTensorFromTensorInfo(info!);
            expect(out.shape).toEqual(expected.shape);
            expectClose(out.dataSync(), expected.values, 1e-5, 1e-5);
            // …and through the registered kernel, as tf.matMul users reach it.
            expectClose(tf.matMul(a, b, tA, tB).dataSync(), expected.values, 1e-5, 1e-5);
            tf.dispose([a, b, out]);
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(MS.length * NS.length * KS.length * 3);
  });

  it('fuses bias and ReLU into gemm_nn (tf.fused.matMul) like the stock kernel', async () => {
    for (const [m, k, n] of [[5, 3, 9], [64, 32, 32], [67, 80, 33], [1, 1, 1]] as const) {
      const av = floats(m * k, m + k);
      const bv = floats(k * n, n);
      const bias = floats(n, 7);
      for (const relu of [false, true]) {
        const expected = await stockProduct(av, [m, k], bv, [k, n], false, false, bias, relu);
        await initBackend({ backend: 'wasm' });
        const got = tf.tidy(() =>
          tf.fused.matMul({ a: tf.tensor2d(av, [m, k]), b: tf.tensor2d(bv, [k, n]), bias: tf.tensor1d(bias), activation: relu ? 'relu' : 'linear' }).dataSync().slice(),
        );
        expectClose(got, expected.values, 1e-5, 1e-5);
        if (relu) expect(got.every((v) => v >= 0)).toBe(true);
      }
    }
  });

  it('leave products outside their limits, batched products and aᵀbᵀ to the other paths', async () => {
    await initBackend({ backend: 'wasm' });
    const route = (as: number[], bs: number[], tA: boolean, tB: boolean): boolean =>
      tf.tidy(() => {
        const info = nativeMatMul(tf.backend(), { a: tf.zeros(as), b: tf.zeros(bs), transposeA: tA, transposeB: tB });
        if (info !== null) tf.engine().makeTensorFromTensorInfo(info).dispose();
        return info !== null;
      });
    const bigSide = Math.ceil(Math.sqrt(NATIVE_TN_MAX_OUT)) + 1;
    expect(route([10, bigSide], [10, bigSide], true, false)).toBe(false);
    expect(route([10, NATIVE_NN_MAX_RIGHT / 8], [NATIVE_NN_MAX_RIGHT / 8, 9], false, false)).toBe(false);
    expect(route([2, 3, 4], [2, 4, 5], false, false)).toBe(false);
    expect(route([4, 3], [5, 4], true, true)).toBe(false);
    expect(route([10, 32], [32, 32], false, false)).toBe(true);
    // A stock path still gives the right answer for a large product.
    const a = tf.tensor2d(floats(10 * 200, 3), [10, 200]);
    const b = tf.tensor2d(floats(200 * 100, 4), [200, 100]);
    const expected = await stockProduct(a.dataSync() as Float32Array, [10, 200], b.dataSync() as Float32Array, [200, 100], false, false);
    await initBackend({ backend: 'wasm' });
    expectClose(tf.matMul(a, b).dataSync(), expected.values, 1e-4, 1e-4);
    tf.dispose([a, b]);
  });

  it('give 0 or act(bias) for an empty inner dimension, and empty outputs for empty rows', async () => {
    await initBackend({ backend: 'wasm' });
    for (let i = 0; i < 5; i++) {
      tf.dispose([tf.fill([64], 3), tf.fill([12], 7)]); // garbage for a kernel that skips its output
      const fused = tf.fused.matMul({ a: tf.zeros([4, 0]), b: tf.zeros([0, 3]), bias: tf.tensor1d([1, -2, 3]), activation: 'relu' });
      expect(Array.from(fused.dataSync())).toEqual([1, 0, 3, 1, 0, 3, 1, 0, 3, 1, 0, 3]);
      expect(Array.from(tf.matMul(tf.zeros([0, 4]), tf.zeros([0, 3]), true, false).dataSync())).toEqual(new Array(12).fill(0));
      expect(tf.matMul(tf.zeros([0, 5]), tf.zeros([5, 3])).shape).toEqual([0, 3]);
      tf.dispose(fused);
    }
  });

  it('write only their outputs: tensors allocated around them are untouched', async () => {
    await initBackend({ backend: 'wasm' });
    const before = tf.tensor1d(floats(1024, 11));
    const a = tf.tensor2d(floats(301 * 13, 12), [301, 13]);
    const after = tf.tensor1d(floats(1024, 13));
    const b = tf.tensor2d(floats(301 * 9, 14), [301, 9]);
    const w = tf.tensor2d(floats(13 * 9, 15), [13, 9]);
    const snapshot = [before.dataSync().slice(), after.dataSync().slice(), a.dataSync().slice(), b.dataSync().slice(), w.dataSync().slice()];
    for (let i = 0; i < 3; i++) {
      tf.matMul(a, b, true, false).dispose();
      tf.matMul(a, w).dispose();
      tf.matMul(b, w, false, true).dispose();
    }
    [before, after, a, b, w].forEach((t, i) => expect(Array.from(t.dataSync())).toEqual(Array.from(snapshot[i]!)));
    tf.dispose([before, a, after, b, w]);
  });

  it('give finite-difference gradients through matMul and fused ReLU layers', async () => {
    await initBackend({ backend: 'wasm' });
    const w = tf.tensor2d(floats(6 * 5, 21), [6, 5]);
    const bias = tf.tensor1d(floats(5, 22));
    const x = tf.tensor2d(floats(9 * 6, 23), [9, 6]);
    checkGradient((v) => tf.sum(tf.tanh(tf.matMul(v as tf.Tensor2D, w))), x);
    checkGradient((v) => tf.sum(tf.square(tf.fused.matMul({ a: x, b: v as tf.Tensor2D, bias, activation: 'relu' }))), w);
    checkGradient((v) => tf.sum(tf.square(tf.fused.matMul({ a: v as tf.Tensor2D, b: w, bias, activation: 'relu' }))), x);
    tf.dispose([w, bias, x]);
  });

  it('can be switched off, and then give bit-identical results on the XNNPACK path (same summation order)', async () => {
    await initBackend({ backend: 'wasm' });
    for (const [rows, k, n] of [[40, 7, 6], [1001, 13, 7], [3000, 32, 32]] as const) {
      const a = tf.tensor2d(floats(rows * k, 31 + k), [rows, k]);
      const b = tf.tensor2d(floats(rows * n, 32 + n), [rows, n]);
      const w = tf.tensor2d(floats(k * n, 33 + n), [k, n]);
      const on = [tf.matMul(a, b, true, false).dataSync().slice(), tf.matMul(a, w).dataSync().slice()];
      setNativeKernelsEnabled(false);
      try {
        expect(nativeKernelsOfBackend(tf.backend())).toBeNull();
        expect(Array.from(tf.matMul(a, b, true, false).dataSync())).toEqual(Array.from(on[0]!));
        expect(Array.from(tf.matMul(a, w).dataSync())).toEqual(Array.from(on[1]!));
      } finally {
        setNativeKernelsEnabled(true);
      }
      tf.dispose([a, b, w]);
    }
  });
});
