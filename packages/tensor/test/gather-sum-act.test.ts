import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { IndexOutOfRangeError, initBackend, tf, gatherSumAct, gatherSumActSegmentSum, type Activation } from '../src/index';
import { setNativeKernelsEnabled } from '../src/kernels/index';
import { setCodegen } from '../src/kernels/gather-sum-act-loops';
import { fusedKernelPath, productFusable } from '../src/kernels/gather-sum-act';
import { checkGradient, floats } from './helpers';

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

interface Case {
  rows: number;
  width: number;
  tableRows: number[];
  act: Activation;
  withBase: boolean;
  segments: number;
  seed: number;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  rows: fc.integer({ min: 1, max: 40 }),
  width: fc.integer({ min: 1, max: 9 }),
  tableRows: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 0, maxLength: 4 }),
  act: fc.constantFrom<Activation>('relu', 'leaky_relu', 'linear'),
  withBase: fc.boolean(),
  segments: fc.integer({ min: 1, max: 6 }),
  seed: fc.integer({ min: 0, max: 1000 }),
}).filter((c) => c.withBase || c.tableRows.length > 0);

/** Inputs for a case; index values drawn from a seeded generator. */
function inputs(c: Case) {
  let s = c.seed + 1;
  const rand = (n: number): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
  const base = c.withBase ? (tf.randomNormal([c.rows, c.width], 0, 1, 'float32', c.seed) as tf.Tensor2D) : undefined;
  const terms = c.tableRows.map((r, k) => ({
    table: tf.randomNormal([r, c.width], 0, 1, 'float32', c.seed + 10 + k) as tf.Tensor2D,
    index: tf.tensor1d(Int32Array.from({ length: c.rows }, () => rand(r)), 'int32'),
  }));
  const segIds = tf.tensor1d(Int32Array.from({ length: c.rows }, () => rand(c.segments)), 'int32');
  const dy = tf.randomNormal([c.rows, c.width], 0, 1, 'float32', c.seed + 99) as tf.Tensor2D;
  const dAgg = tf.randomNormal([c.segments, c.width], 0, 1, 'float32', c.seed + 98) as tf.Tensor2D;
  return { base, terms, segIds, dy, dAgg };
}

/** Values and gradients (w.r.t. base and every table) of the fused op and of the stock-ops reference. */
function compare(c: Case, reduce: boolean): number {
  return tf.tidy(() => {
    const { base, terms, segIds, dy, dAgg } = inputs(c);
    const xs = [...(base ? [base] : []), ...terms.map((t) => t.table)];
    const run = (reference: boolean) =>
      tf.grads((...args: tf.Tensor[]) => {
        const b = base ? (args[0] as tf.Tensor2D) : undefined;
        const ts = terms.map((t, k) => ({ table: args[(base ? 1 : 0) + k] as tf.Tensor2D, index: t.index }));
        const common = { ...(b ? { base: b } : {}), terms: ts, numRows: c.rows, activation: c.act, reference };
        return reduce
          ? tf.sum(tf.mul(gatherSumActSegmentSum({ ...common, segIds, numSegments: c.segments }), dAgg))
          : tf.sum(tf.mul(gatherSumAct(common), dy));
      })(xs);
    const values = (reference: boolean) => {
      const ts = terms.map((t) => ({ table: t.table, index: t.index }));
      const common = { ...(base ? { base } : {}), terms: ts, numRows: c.rows, activation: c.act, reference };
      return reduce ? gatherSumActSegmentSum({ ...common, segIds, numSegments: c.segments }) : gatherSumAct(common);
    };
    let worst = maxAbsDiff(values(false), values(true));
    const gf = run(false);
    const gr = run(true);
    gf.forEach((g, i) => (worst = Math.max(worst, maxAbsDiff(g, gr[i]!))));
    return worst;
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`gatherSumAct fused kernels (${backend})`, () => {
    beforeAll(async () => {
      await initBackend({ backend });
    });
    afterAll(() => {
      setCodegen(true);
      setNativeKernelsEnabled(true);
    });

    // On wasm the compiled SIMD kernels run by default; the JavaScript loops stay for cpu, for
    // more than four terms, and for hosts without WebAssembly SIMD.
    const variants = backend === 'wasm' ? (['native', 'specialised', 'generic'] as const) : (['specialised', 'generic'] as const);
    for (const variant of variants) {
      test(`values and gradients match stock tf ops (${variant} loops)`, () => {
        setNativeKernelsEnabled(variant === 'native');
        setCodegen(variant !== 'generic');
        expect(fusedKernelPath(2)).toBe(variant === 'native' ? 'native' : 'javascript');
        fc.assert(
          fc.property(caseArb, fc.boolean(), (c, reduce) => {
            expect(compare(c, reduce)).toBeLessThan(1e-4);
          }),
          { numRuns: 40, seed: 5 },
        );
        setNativeKernelsEnabled(true);
      });
    }

    test('more than four gathered terms fall back to the JavaScript loops, with the same results', () => {
      setCodegen(true);
      expect(fusedKernelPath(5)).toBe('javascript');
      for (const reduce of [false, true]) {
        const c: Case = { rows: 23, width: 6, tableRows: [3, 4, 2, 5, 3], act: 'leaky_relu', withBase: true, segments: 4, seed: 3 };
        expect(compare(c, reduce)).toBeLessThan(1e-4);
      }
    });

    test('rows wider than the unrolling limit use the looped specialisation, with the same results', () => {
      setCodegen(true);
      for (const reduce of [false, true]) {
        const c: Case = { rows: 9, width: 70, tableRows: [3, 4], act: 'relu', withBase: true, segments: 2, seed: 7 };
        expect(compare(c, reduce)).toBeLessThan(1e-4);
      }
    });

    test('an index or segment id outside its range is refused before anything runs, on every path', () => {
      const table = tf.ones([3, 4]) as tf.Tensor2D;
      const base = tf.ones([5, 4]) as tf.Tensor2D;
      const bad = tf.tensor1d([0, 1, 3, 2, 0], 'int32');
      const negative = tf.tensor1d([0, -1, 0, 0, 0], 'int32');
      const good = tf.tensor1d([0, 1, 2, 2, 0], 'int32');
      for (const variant of backend === 'wasm' ? [true, false] : [false]) {
        setNativeKernelsEnabled(variant);
        const before = tf.memory().numTensors;
        expect(() => gatherSumAct({ base, terms: [{ table, index: bad }], numRows: 5, activation: 'relu' })).toThrow(/term 0 index 3 at row 2 is outside \[0, 3\)/);
        expect(() => gatherSumAct({ terms: [{ table, index: negative }], numRows: 5, activation: 'relu' })).toThrow(IndexOutOfRangeError);
        expect(() => gatherSumActSegmentSum({ base, terms: [{ table, index: good }], numRows: 5, activation: 'relu', segIds: good, numSegments: 2 })).toThrow(/segment id 2 at row 2/);
        expect(tf.memory().numTensors).toBe(before);
      }
      setNativeKernelsEnabled(true);
      tf.dispose([table, base, bad, negative, good]);
    });

    test('gradients pass finite differences (base and every table, with and without the segment sum)', () => {
      const i0 = tf.tensor1d([0, 3, 1, 1, 2, 0, 3], 'int32');
      const i1 = tf.tensor1d([4, 0, 2, 2, 1, 3, 0], 'int32');
      const segIds = tf.tensor1d([1, 0, 2, 1, 0, 2, 2], 'int32');
      const base = tf.tensor2d(floats(7 * 3, 61), [7, 3]);
      const t0 = tf.tensor2d(floats(4 * 3, 62), [4, 3]);
      const t1 = tf.tensor2d(floats(5 * 3, 63), [5, 3]);
      for (const activation of ['linear', 'relu', 'leaky_relu'] as const) {
        for (const reduce of [false, true]) {
          const w = tf.tensor2d(floats(reduce ? 9 : 21, 64), reduce ? [3, 3] : [7, 3]);
          const loss = (b: tf.Tensor, a0: tf.Tensor, a1: tf.Tensor): tf.Scalar => {
            const args = { base: b as tf.Tensor2D, terms: [{ table: a0 as tf.Tensor2D, index: i0 }, { table: a1 as tf.Tensor2D, index: i1 }], numRows: 7, activation };
            const y = reduce ? gatherSumActSegmentSum({ ...args, segIds, numSegments: 3 }) : gatherSumAct(args);
            return tf.sum(tf.mul(tf.sin(y), w));
          };
          checkGradient((v) => loss(v, t0, t1), base, { eps: 1e-3 });
          checkGradient((v) => loss(base, v, t1), t0, { eps: 1e-3 });
          checkGradient((v) => loss(base, t0, v), t1, { eps: 1e-3 });
          w.dispose();
        }
      }
      tf.dispose([i0, i1, segIds, base, t0, t1]);
    });

    test('a row product x·w fused into the pass equals matMul(x, w) passed as the base, bit for bit, values and gradients', () => {
      // 70 rows: more than one 64-row block of the compiled kernel; widths 8 and 6 exercise full and partial tiles.
      for (const [rows, inner, width] of [[70, 5, 8], [13, 7, 6], [1, 3, 4]] as const) {
        expect(productFusable(1, inner, width)).toBe(backend === 'wasm');
        for (const reduce of [false, true]) {
          for (const activation of ['relu', 'leaky_relu', 'linear'] as const) {
            tf.tidy(() => {
              const x = tf.randomNormal([rows, inner], 0, 1, 'float32', rows) as tf.Tensor2D;
              const w = tf.randomNormal([inner, width], 0, 1, 'float32', inner) as tf.Tensor2D;
              const table = tf.randomNormal([4, width], 0, 1, 'float32', 5) as tf.Tensor2D;
              const index = tf.tensor1d(Int32Array.from({ length: rows }, (_, i) => (i * 7) % 4), 'int32');
              const segIds = tf.tensor1d(Int32Array.from({ length: rows }, (_, i) => (i * 5) % 3), 'int32');
              const probe = tf.randomNormal(reduce ? [3, width] : [rows, width], 0, 1, 'float32', 9);
              const run = (fusedProduct: boolean) => {
                const f = (xv: tf.Tensor, wv: tf.Tensor, tv: tf.Tensor): tf.Scalar => {
                  const terms = [{ table: tv as tf.Tensor2D, index }];
                  const args = fusedProduct
                    ? { product: { x: xv as tf.Tensor2D, w: wv as tf.Tensor2D }, terms, numRows: rows, activation }
                    : { base: tf.matMul(xv, wv) as tf.Tensor2D, terms, numRows: rows, activation };
                  const y = reduce ? gatherSumActSegmentSum({ ...args, segIds, numSegments: 3 }) : gatherSumAct(args);
                  return tf.sum(tf.mul(y, probe));
                };
                const terms = [{ table, index }];
                const value = fusedProduct
                  ? reduce
                    ? gatherSumActSegmentSum({ product: { x, w }, terms, numRows: rows, activation, segIds, numSegments: 3 })
                    : gatherSumAct({ product: { x, w }, terms, numRows: rows, activation })
                  : reduce
                    ? gatherSumActSegmentSum({ base: tf.matMul(x, w) as tf.Tensor2D, terms, numRows: rows, activation, segIds, numSegments: 3 })
                    : gatherSumAct({ base: tf.matMul(x, w) as tf.Tensor2D, terms, numRows: rows, activation });
                return [value, ...tf.grads(f)([x, w, table])].map((t) => Array.from(t.dataSync()));
              };
              const fusedRun = run(true);
              const unfused = run(false);
              fusedRun.forEach((v, i) => expect(v).toEqual(unfused[i]));
            });
          }
        }
      }
    });

    test('a product with a base, or of the wrong shape: the base path, or a one-line error', () => {
      tf.tidy(() => {
        const x = tf.randomNormal([6, 3], 0, 1, 'float32', 1) as tf.Tensor2D;
        const w = tf.randomNormal([3, 4], 0, 1, 'float32', 2) as tf.Tensor2D;
        const base = tf.randomNormal([6, 4], 0, 1, 'float32', 3) as tf.Tensor2D;
        const table = tf.randomNormal([2, 4], 0, 1, 'float32', 4) as tf.Tensor2D;
        const index = tf.tensor1d([0, 1, 1, 0, 1, 0], 'int32');
        const both = gatherSumAct({ base, product: { x, w }, terms: [{ table, index }], numRows: 6, activation: 'relu' });
        const expected = gatherSumAct({ base: tf.add(base, tf.matMul(x, w)) as tf.Tensor2D, terms: [{ table, index }], numRows: 6, activation: 'relu' });
        expect(Array.from(both.dataSync())).toEqual(Array.from(expected.dataSync()));
        // An empty inner dimension is a zero product, not a fused one.
        const empty = gatherSumAct({ product: { x: tf.zeros([6, 0]) as tf.Tensor2D, w: tf.zeros([0, 4]) as tf.Tensor2D }, terms: [{ table, index }], numRows: 6, activation: 'linear' });
        expect(Array.from(empty.dataSync())).toEqual(Array.from(tf.gather(table, index).dataSync()));
        expect(productFusable(1, 0, 4)).toBe(false);
        expect(() => gatherSumAct({ product: { x, w: tf.ones([2, 4]) as tf.Tensor2D }, terms: [{ table, index }], numRows: 6, activation: 'relu' })).toThrow(
          /product x \[6, 3\] · w \[2, 4\] does not give 6 float32 rows/,
        );
      });
    });

    test('an index tensor checked once is not trusted for a smaller bound', () => {
      tf.tidy(() => {
        const index = tf.tensor1d([0, 4, 2], 'int32');
        const big = tf.ones([5, 2]) as tf.Tensor2D;
        const small = tf.ones([3, 2]) as tf.Tensor2D;
        gatherSumAct({ terms: [{ table: big, index }], numRows: 3, activation: 'relu' });
        gatherSumAct({ terms: [{ table: big, index }], numRows: 3, activation: 'relu' });
        expect(() => gatherSumAct({ terms: [{ table: small, index }], numRows: 3, activation: 'relu' })).toThrow(/term 0 index 4 at row 1 is outside \[0, 3\)/);
        expect(() => gatherSumActSegmentSum({ terms: [{ table: big, index }], numRows: 3, activation: 'relu', segIds: index, numSegments: 4 })).toThrow(/segment id 4 at row 1/);
      });
    });

    test('leaves no tensors behind', () => {
      const c: Case = { rows: 12, width: 4, tableRows: [3, 5], act: 'relu', withBase: true, segments: 3, seed: 1 };
      compare(c, true);
      const before = tf.memory().numTensors;
      compare(c, true);
      compare(c, false);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}
