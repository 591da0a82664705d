import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../src/index';
import { gatherRowsInto } from '../src/kernels/gather-rows-core';
import { segmentSumInto } from '../src/kernels/unsorted-segment-sum';
import { TypedAccess } from '../src/kernels/typed-access';
import { floats, ints } from './helpers';

describe('hand-assembled wasm heap kernels', () => {
  let access: TypedAccess;
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    access = new TypedAccess(tf.backend(), 'wasm');
  });

  it('load on the wasm backend (SIMD module validates)', () => {
    expect(access.heapKernels()).not.toBeNull();
    expect(new TypedAccess(tf.backend(), 'cpu').heapKernels()).toBeNull();
  });

  it('gather and segment-sum bit-identically to the TypeScript loops (property)', () => {
    const heap = access.heapKernels()!;
    const arb = fc.record({ rows: fc.integer({ min: 1, max: 20 }), width: fc.integer({ min: 1, max: 37 }), n: fc.integer({ min: 0, max: 60 }), seed: fc.integer({ min: 1, max: 1e6 }), dropped: fc.boolean() });
    fc.assert(
      fc.property(arb, ({ rows, width, n, seed, dropped }) => {
        const x = tf.tensor2d(floats(rows * width, seed), [rows, width]);
        const e = tf.tensor2d(floats(n * width, seed + 1), [n, width]);
        const idv = ints(n, rows, seed + 2);
        if (dropped && n > 0) idv[0] = -1;
        const gidx = tf.tensor1d(ints(n, rows, seed + 3), 'int32');
        const sid = tf.tensor1d(idv, 'int32');
        const results = [null, heap].map((h) => {
          const [g, s] = access.run([x, gidx, e, sid], [{ shape: [n, width], dtype: 'float32' }, { shape: [rows, width], dtype: 'float32' }], ([xv, gv, ev, sv], [go, so]) => {
            gatherRowsInto(xv!, gv!, rows, width, go!, h);
            segmentSumInto(ev!, sv!, rows, width, so!, h);
          });
          const out = [Array.from(tf.engine().makeTensorFromTensorInfo(g!).dataSync()), Array.from(tf.engine().makeTensorFromTensorInfo(s!).dataSync())];
          access.dispose(g!);
          access.dispose(s!);
          return out;
        });
        expect(results[1]).toEqual(results[0]);
        tf.dispose([x, e, gidx, sid]);
      }),
      { numRuns: 60 },
    );
  });

  it('keep working after the wasm heap grows', () => {
    const big = tf.zeros([8_000_000]); // 32 MB: forces memory.grow past the initial heap
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [2, 4]);
    expect(tf.gather(x, tf.tensor1d([1, 1, 0], 'int32')).arraySync()).toEqual([[5, 6, 7, 8], [5, 6, 7, 8], [1, 2, 3, 4]]);
    expect(tf.unsortedSegmentSum(x, tf.tensor1d([0, 0], 'int32'), 1).arraySync()).toEqual([[6, 8, 10, 12]]);
    tf.dispose([big, x]);
  });
});
