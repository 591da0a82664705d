import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tf, initBackend } from '../src/index';
import { makeConv2DBackpropInputConfig } from '../src/kernels/conv2d-backprop-input';
import { checkGradient, floats, onStockCpu } from './helpers';

type Pad4 = [[number, number], [number, number], [number, number], [number, number]];
type Pad = number | 'valid' | Pad4;

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('Conv2DBackpropInput override (compiled dy·fᵀ blocks scattered back by col2im, conv.c)', () => {
  // Registered on wasm only: the compiled kernel is a wasm module; cpu keeps its stock kernel.
  for (const backend of ['wasm'] as const) {
    it(`matches stock cpu conv2d in value and in both gradients on ${backend} (property over shapes and paddings)`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 3 }), fc.integer({ min: 4, max: 7 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }),
          fc.constantFrom(1, 2, 3), fc.constantFrom(1, 3), fc.nat(2), fc.integer({ min: 0, max: 1e6 }), fc.constantFrom(1, 2, 3), fc.constantFrom(1, 2),
          async (n, h, cin, cout, kh, kw, p, seed, sh, sw) => {
            const oh = Math.floor((h + 2 * p - kh) / sh) + 1;
            const ow = Math.floor((h + 1 + 2 * p - kw) / sw) + 1;
            const xs: [number, number, number, number] = [n, h, h + 1, cin];
            const fs: [number, number, number, number] = [kh, kw, cin, cout];
            const xv = floats(n * h * (h + 1) * cin, seed);
            const fv = floats(kh * kw * cin * cout, seed + 1);
            const wv = floats(n * oh * ow * cout, seed + 2);
            const pad: Pad4 = [[0, 0], [p, p], [p, p], [0, 0]];
            const run = () =>
              tf.tidy(() => {
                const x = tf.tensor4d(xv, xs);
                const f = tf.tensor4d(fv, fs);
                const w = tf.tensor4d(wv, [n, oh, ow, cout]);
                const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, [sh, sw], pad), w));
                const [gx, gf] = tf.grads(loss)([x, f]);
                return [tf.conv2d(x, f, [sh, sw], pad), gx!, gf!].map((t) => Float32Array.from(t.dataSync()));
              });
            const ref = await onStockCpu(run);
            await initBackend({ backend });
            const ours = run();
            expect(maxDiff(ours[0]!, ref[0]!)).toBeLessThan(1e-4);
            expect(maxDiff(ours[1]!, ref[1]!)).toBeLessThan(1e-4);
            expect(maxDiff(ours[2]!, ref[2]!)).toBeLessThan(1e-4);
          },
        ),
        { numRuns: 40, seed: 3 },
      );
    });

    it(`runs compiled, without the stock kernel, and frees its temporaries on ${backend}`, async () => {
      const cases = [
        { x: [2, 6, 7, 3], f: [3, 3, 3, 4], s: [1, 1], p: 1 as Pad },
        { x: [1, 7, 5, 2], f: [3, 1, 2, 3], s: [2, 1], p: 'valid' as Pad },
        { x: [2, 9, 9, 1], f: [3, 3, 1, 2], s: [3, 2], p: [[0, 0], [2, 2], [2, 2], [0, 0]] as Pad },
        { x: [1, 5, 8, 2], f: [1, 3, 2, 2], s: [1, 2], p: [[0, 0], [0, 0], [0, 0], [0, 0]] as Pad },
      ] as const;
      for (const [i, c] of cases.entries()) {
        const dyShape = tf.tidy(() => tf.conv2d(tf.zeros([...c.x]) as tf.Tensor4D, tf.zeros([...c.f]) as tf.Tensor4D, [...c.s], c.p).shape);
        const dyv = floats(dyShape.reduce((a, d) => a * d, 1), 80 + i);
        const fv = floats(c.f.reduce<number>((a, d) => a * d, 1), 90 + i);
        const attrs = { strides: [...c.s], pad: c.p, dataFormat: 'NHWC', inputShape: [...c.x] } as unknown as tf.NamedAttrMap;
        const expected = await onStockCpu(() =>
          tf.tidy(() => (tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.tensor(dyv, dyShape), filter: tf.tensor(fv, [...c.f]) }, attrs) as tf.Tensor).dataSync().slice()),
        );
        await initBackend({ backend });
        // No stock kernel to fall back to: a case the override did not take would throw.
        const kernel = makeConv2DBackpropInputConfig(undefined);
        const dy = tf.tensor(dyv, dyShape);
        const filter = tf.tensor(fv, [...c.f]);
        const ids = tf.backend().numDataIds();
        const info = kernel.kernelFunc({ inputs: { dy, filter }, attrs, backend: tf.backend() }) as tf.TensorInfo;
        expect(tf.backend().numDataIds()).toBe(ids + 1);
        const out = tf.engine().makeTensorFromTensorInfo(info);
        expect(out.shape).toEqual([...c.x]);
        expect(maxDiff(out.dataSync(), expected)).toBeLessThan(1e-4);
        tf.dispose([dy, filter, out]);
      }
    });

    it(`gives the conv2d input gradient that finite differences give on ${backend}`, async () => {
      await initBackend({ backend });
      const x = tf.tensor4d(floats(2 * 6 * 5 * 2, 11), [2, 6, 5, 2]);
      const w = tf.tensor4d(floats(3 * 3 * 2 * 3, 12), [3, 3, 2, 3]);
      checkGradient((v) => tf.sum(tf.tanh(tf.conv2d(v as tf.Tensor4D, w, 2, 1))), x);
      checkGradient((v) => tf.sum(tf.tanh(tf.conv2d(v as tf.Tensor4D, w, [2, 1], [[0, 0], [1, 1], [1, 1], [0, 0]]))), x);
      checkGradient((v) => tf.sum(tf.tanh(tf.conv2d(v as tf.Tensor4D, w, 1, 'valid'))), x);
      tf.dispose([x, w]);
    });

    it(`serves conv2dTranspose with explicit and 'same' padding on ${backend}`, async () => {
      const dyv = floats(2 * 3 * 3 * 4, 21);
      const fv = floats(3 * 3 * 2 * 4, 22);
      const both = () =>
        tf.tidy(() => {
          const dy = tf.tensor4d(dyv, [2, 3, 3, 4]);
          const f = tf.tensor4d(fv, [3, 3, 2, 4]);
          return [tf.conv2dTranspose(dy, f, [2, 6, 6, 2], 2, 1), tf.conv2dTranspose(dy, f, [2, 6, 6, 2], 2, 'same')].map((t) => Float32Array.from(t.dataSync()));
        });
      const expected = await onStockCpu(both);
      await initBackend({ backend });
      const got = both();
      expect(maxDiff(got[0]!, expected[0]!)).toBeLessThan(1e-4);
      expect(maxDiff(got[1]!, expected[1]!)).toBeLessThan(1e-4);
    });
  }
});
