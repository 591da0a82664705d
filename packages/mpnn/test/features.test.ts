import { EDGE_TYPES, NODE_TYPES, toParameterGraph } from '@metanet/graph';
import { initParamArrays } from '@metanet/nets';
import { architecture } from '@metanet/spec';
import { initBackend, tf } from '@metanet/tensor';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  DEFAULT_FEATURES,
  GMN,
  aggregate,
  createGMN,
  InvalidConfigError,
  InvalidGraphError,
  edgeFeatureDim,
  encodeEdgeFeatures,
  encodeNodeFeatures,
  edgeValueFeatureDim,
  edgeCategoryFeatureDim,
  splitEdgeFeatures,
  graphTensors,
  nodeFeatureDim,
  resolveConfig,
  trainStep,
} from '../src/index';
import { mlpGraph, randomMlp } from './helpers';

const F = { frequencies: 2, valueFrequencies: 3 };

describe('encoder features', () => {
  test('node features: layer sinusoid, I/O flag and sinusoid only for I/O nodes, type one-hot', () => {
    const out = encodeNodeFeatures(Float32Array.from([2, -1, 1, 0, 3, 0]), 2, F);
    const d = nodeFeatureDim(F);
    expect(d).toBe(4 + 1 + 4 + NODE_TYPES.length);
    const hidden = Array.from(out.subarray(0, d));
    expect(hidden[0]).toBeCloseTo(Math.sin(2), 6);
    expect(hidden[1]).toBeCloseTo(Math.cos(2), 6);
    expect(hidden[2]).toBeCloseTo(Math.sin(2 / Math.sqrt(1000)), 6);
    expect(hidden.slice(4, 9)).toEqual([0, 0, 0, 0, 0]); // a hidden node has no I/O code
    expect(hidden.slice(9)).toEqual([0, 1, 0, 0, 0, 0, 0, 0]);
    const input = Array.from(out.subarray(d));
    expect(input[4]).toBe(1);
    expect(input[5]).toBeCloseTo(Math.sin(3), 6);
    expect(input.slice(9)).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
  });

  test.each([8, 32])('the value Fourier code equals sin/cos of 2π·2^k·x to float32 precision, for weights small and large (%i frequencies)', (fv) => {
    const G = { frequencies: 1, valueFrequencies: fv };
    const dv = edgeValueFeatureDim(G);
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), (x) => {
        const row = splitEdgeFeatures(Float32Array.from([x, 0, 0, -1, -1]), 1, G).values;
        expect(row.length).toBe(dv);
        expect(row[0]).toBe(Math.fround(x));
        const v = Math.fround(x);
        for (let k = 0; k < fv; k++) {
          const a = 2 * Math.PI * 2 ** k * v;
          // 2^k·x grows the error of any evaluation of the argument by 2^k; 1e-6 is float32's resolution near 1.
          expect(Math.abs(row[1 + 2 * k]! - Math.sin(a))).toBeLessThan(1e-6 + 2 ** k * Math.abs(v) * 1e-15);
          expect(Math.abs(row[2 + 2 * k]! - Math.cos(a))).toBeLessThan(1e-6 + 2 ** k * Math.abs(v) * 1e-15);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('edge features: value Fourier code, edge-type one-hot, kernel positions only where they apply', () => {
    const dense = encodeEdgeFeatures(Float32Array.from([0.25, 1, 0, -1, -1]), 1, F);
    const conv = encodeEdgeFeatures(Float32Array.from([0.25, 1, 1, 2, 0]), 1, F);
    expect(dense.length).toBe(edgeFeatureDim(F));
    expect(dense[0]).toBeCloseTo(0.25);
    expect(dense[1]).toBeCloseTo(Math.sin(2 * Math.PI * 0.25), 6);
    expect(dense[4]).toBeCloseTo(Math.cos(2 * Math.PI * 2 * 0.25), 6);
    const typeAt = 1 + 6 + 4;
    expect(Array.from(dense.subarray(typeAt, typeAt + EDGE_TYPES.length))).toEqual(EDGE_TYPES.map((_, i) => (i === 0 ? 1 : 0)));
    expect(Array.from(dense.subarray(typeAt + EDGE_TYPES.length))).toEqual(new Array(10).fill(0));
    const kh = typeAt + EDGE_TYPES.length;
    expect(conv[kh]).toBe(1);
    expect(conv[kh + 1]).toBeCloseTo(Math.sin(2), 6);
    expect(conv[kh + 5]).toBe(1); // kw = 0 still applies
    expect(conv[kh + 6]).toBeCloseTo(0, 6);
  });

  test('features are bounded for any finite input', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), fc.integer({ min: 0, max: 200 }), (v, layer) => {
        const out = encodeEdgeFeatures(Float32Array.from([v, layer, 1, 0, 1]), 1, DEFAULT_FEATURES);
        for (let i = 1; i < out.length; i++) expect(Math.abs(out[i]!)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 100, seed: 3 },
    );
  });

  test('split edge features rebuild the full matrix exactly, with one table row per distinct (layer, type, kh, kw)', () => {
    const row = fc.tuple(
      fc.float({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: EDGE_TYPES.length - 1 }),
      fc.integer({ min: -1, max: 2 }),
      fc.integer({ min: -1, max: 2 }),
    );
    fc.assert(
      fc.property(fc.array(row, { minLength: 0, maxLength: 60 }), (rows) => {
        const raw = Float32Array.from(rows.flat());
        const full = encodeEdgeFeatures(raw, rows.length, F);
        const split = splitEdgeFeatures(raw, rows.length, F);
        const d = edgeFeatureDim(F);
        const dv = edgeValueFeatureDim(F);
        const dc = edgeCategoryFeatureDim(F);
        expect(dv + dc).toBe(d);
        expect(split.numCategories).toBe(new Set(rows.map((r) => r.slice(1).join('|'))).size);
        rows.forEach((_, e) => {
          const c = split.categories[e]!;
          const rebuilt = [...split.values.subarray(e * dv, (e + 1) * dv), ...split.table.subarray(c * dc, (c + 1) * dc)];
          expect(rebuilt).toEqual(Array.from(full.subarray(e * d, (e + 1) * d)));
        });
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  test('head identity: a one-hot per head on output nodes with features.heads; without it the encoding is what it was', () => {
    const spec = architecture('small-cnn-mt', { width: 3, inputSize: 8 });
    const g = toParameterGraph(spec, initParamArrays(spec, { seed: 1 }));
    expect(g.nodeHeads).toBeDefined();
    const H = { ...F, heads: 2 };
    const plain = encodeNodeFeatures(g.nodeFeatures, g.numNodes, F, g.nodeHeads);
    const single = architecture('small-cnn', { width: 3, inputSize: 8, classes: 13 });
    const gs = toParameterGraph(single, initParamArrays(single, { seed: 1 }));
    // No head columns: the multi-head graph encodes exactly as the single-head net with as many outputs.
    expect(plain).toEqual(encodeNodeFeatures(gs.nodeFeatures, gs.numNodes, F));
    const withHeads = encodeNodeFeatures(g.nodeFeatures, g.numNodes, H, g.nodeHeads);
    const d = nodeFeatureDim(F);
    expect(nodeFeatureDim(H)).toBe(d + 2);
    const heads: number[] = [];
    for (let n = 0; n < g.numNodes; n++) {
      const row = withHeads.subarray(n * (d + 2), (n + 1) * (d + 2));
      expect(Array.from(row.subarray(0, d))).toEqual(Array.from(plain.subarray(n * d, (n + 1) * d)));
      const h = g.nodeHeads![n]!;
      expect(Array.from(row.subarray(d))).toEqual(h === 0 ? [1, 0] : h === 1 ? [0, 1] : [0, 0]);
      if (h >= 0) heads.push(h);
    }
    // 10 label outputs, then 3 group outputs.
    expect(heads).toEqual([...new Array(10).fill(0), 1, 1, 1]);
    // A single-head net under a head-aware encoder: zeros in the head columns.
    const gsEnc = encodeNodeFeatures(gs.nodeFeatures, gs.numNodes, H);
    for (let n = 0; n < gs.numNodes; n++) expect(Array.from(gsEnc.subarray(n * (d + 2) + d, (n + 1) * (d + 2)))).toEqual([0, 0]);
    // More heads than the encoder reads: refused, naming the fix.
    expect(() => encodeNodeFeatures(g.nodeFeatures, g.numNodes, { ...F, heads: 1 }, g.nodeHeads)).toThrow(/features\.heads ≥ 2/);
  });

  test('unknown node or edge types are refused with InvalidGraphError', () => {
    expect(() => encodeNodeFeatures(Float32Array.from([0, 0, 99]), 1, F)).toThrow(InvalidGraphError);
    expect(() => encodeEdgeFeatures(Float32Array.from([0, 0, -1, -1, -1]), 1, F)).toThrow(InvalidGraphError);
    expect(() => splitEdgeFeatures(Float32Array.from([0, 0, 99, -1, -1]), 1, F)).toThrow(InvalidGraphError);
  });

  test('graphTensors validates indices and values', async () => {
    await initBackend({ backend: 'cpu' });
    const g = mlpGraph(randomMlp([2, 2], 1));
    const badIndex = { ...g, edgeIndex: Int32Array.from(g.edgeIndex, (x, i) => (i === 0 ? 999 : x)) };
    expect(() => graphTensors(badIndex, F)).toThrow(/outside/);
    const nan = { ...g, edgeFeatures: Float32Array.from(g.edgeFeatures, (x, i) => (i === 0 ? NaN : x)) };
    expect(() => graphTensors(nan, F)).toThrow(InvalidGraphError);
    expect(() => graphTensors([], F)).toThrow(InvalidGraphError);
    const ok = graphTensors([g, g], F);
    expect(ok.numGraphs).toBe(2);
    expect(ok.numEdges).toBe(2 * g.numEdges);
    expect(Array.from(ok.inDegree.dataSync()).reduce((a, b) => a + b, 0)).toBe(2 * g.numEdges);
    const model = new GMN({ features: { frequencies: 3, valueFrequencies: 1 }, hidden: 4, globalHidden: 2, layers: 1 });
    expect(() => model.apply(ok)).toThrow(/another feature config/);
    ok.dispose();
    model.dispose();
  });
});

describe('extra node columns (features.nodeExtra)', () => {
  test('are appended after the fixed columns, concatenated over a batch, and refused when missing, short or non-finite', async () => {
    await initBackend({ backend: 'cpu' });
    const X = { ...F, nodeExtra: 2 };
    const g = mlpGraph(randomMlp([2, 3, 2], 1));
    const extraOf = (seed: number): Float32Array => Float32Array.from({ length: g.numNodes * 2 }, (_, i) => seed + i);
    const a = { ...g, nodeExtra: extraOf(0) };
    const b = { ...g, nodeExtra: extraOf(100) };
    expect(nodeFeatureDim(X)).toBe(nodeFeatureDim(F) + 2);
    const t = graphTensors([a, b], X);
    const rows = t.nodeInput.arraySync();
    const d = nodeFeatureDim(X);
    for (let n = 0; n < 2 * g.numNodes; n++) {
      const src = n < g.numNodes ? a.nodeExtra : b.nodeExtra;
      const m = n % g.numNodes;
      expect(rows[n]!.slice(d - 2)).toEqual([src[2 * m]!, src[2 * m + 1]!]);
      // The fixed columns are the ones the GMN without extras encodes.
      expect(rows[n]!.slice(0, d - 2)).toEqual(Array.from(encodeNodeFeatures(g.nodeFeatures, g.numNodes, F).subarray(m * (d - 2), (m + 1) * (d - 2))));
    }
    t.dispose();
    expect(() => graphTensors(g, X)).toThrow(/features\.nodeExtra/);
    expect(() => graphTensors([a, g], X)).toThrow(/graph 1 has no nodeExtra/);
    expect(() => graphTensors([a, { ...g, nodeExtra: new Float32Array(g.numNodes) }], X)).toThrow(/graph 1 has another width/);
    expect(() => graphTensors({ ...g, nodeExtra: new Float32Array(3) }, X)).toThrow(/nodeExtra/);
    expect(() => graphTensors({ ...g, nodeExtra: Float32Array.from(extraOf(0), (v, i) => (i === 3 ? NaN : v)) }, X)).toThrow(/non-finite/);
    // A GMN without extras ignores them.
    const plain = graphTensors(a, F);
    expect(plain.nodeInput.shape[1]).toBe(nodeFeatureDim(F));
    plain.dispose();
  });

  test('a GMN built to read them responds to them, and its config is validated', async () => {
    await initBackend({ backend: 'cpu' });
    const g = mlpGraph(randomMlp([2, 3, 2], 2));
    const m = new GMN({ features: { frequencies: 2, valueFrequencies: 1, nodeExtra: 1 }, hidden: 4, globalHidden: 2, layers: 1, graphOutputs: 1 });
    const out = (v: number): number => {
      const gt = m.graphTensors({ ...g, nodeExtra: new Float32Array(g.numNodes).fill(v) });
      const y = m.apply(gt).graph!;
      const r = y.dataSync()[0]!;
      y.dispose();
      gt.dispose();
      return r;
    };
    expect(out(0)).not.toBe(out(5));
    m.dispose();
    expect(() => resolveConfig({ features: { frequencies: 2, valueFrequencies: 2, nodeExtra: -1 } })).toThrow(/features\.nodeExtra/);
  });
});

test('a graph without edges runs and trains (empty segments pool to 0)', async () => {
  await initBackend({ backend: 'wasm' });
  const g = { numNodes: 2, numEdges: 0, nodeFeatures: Float32Array.from([0, 0, 0, 1, 0, 2]), edgeIndex: new Int32Array(0), edgeFeatures: new Float32Array(0), paramEdges: [] };
  const m = new GMN({ hidden: 4, globalHidden: 3, layers: 1, graphOutputs: 2, edgeOutputs: 1 });
  const gt = m.graphTensors(g);
  const out = m.apply(gt);
  expect(out.graph!.shape).toEqual([1, 2]);
  expect(out.edge!.shape).toEqual([0, 1]);
  expect(Array.from(out.graph!.dataSync()).every(Number.isFinite)).toBe(true);
  const loss = trainStep(m, tf.train.adam(0.01), [gt], (o) => tf.mean(tf.square(o.graph!)) as tf.Scalar);
  expect(Number.isFinite(loss)).toBe(true);
  tf.dispose([out.graph!, out.edge!]);
  gt.dispose();
  m.dispose();
});

describe('config', () => {
  test('defaults are the shape of the bench:mpnn workload (W2, README "Speed")', () => {
    const c = resolveConfig();
    expect([c.hidden, c.globalHidden, c.layers, c.mlpLayers, c.aggregation]).toEqual([32, 32, 4, 2, 'sum']);
  });

  test('every bad field is refused with InvalidConfigError naming it', () => {
    const bad: [string, unknown][] = [
      ['hidden', 0], ['layers', 1.5], ['mlpLayers', 1], ['aggregation', 'median'], ['activation', 'gelu'],
      ['dropout', 1], ['layerNorm', true], ['residual', 'yes'], ['seed', 0.5], ['graphOutputs', -1],
    ];
    for (const [k, v] of bad) {
      expect(() => resolveConfig({ [k]: v })).toThrow(InvalidConfigError);
      expect(() => resolveConfig({ [k]: v })).toThrow(new RegExp(k));
    }
    expect(() => resolveConfig({ graphOutputs: 0, edgeOutputs: 0 })).toThrow(/no head/);
    expect(() => resolveConfig({ features: { frequencies: 2, valueFrequencies: 2, heads: 65 } })).toThrow(/features\.heads/);
  });

  test('createGMN: unset options take the defaults, the seed fixes the weights and so the output', async () => {
    await initBackend({ backend: 'cpu' });
    const g = mlpGraph(randomMlp([3, 4, 2], 5));
    const output = (m: GMN): number[] => {
      const gt = m.graphTensors(g);
      const out = tf.tidy(() => Array.from(m.apply(gt).graph!.dataSync()));
      gt.dispose();
      return out;
    };
    const a = createGMN({ hidden: 4, layers: 1, graphOutputs: 2, seed: 3 });
    const b = createGMN({ hidden: 4, layers: 1, graphOutputs: 2, seed: 3 });
    const c = createGMN({ hidden: 4, layers: 1, graphOutputs: 2, seed: 4 });
    expect(a.config).toEqual(resolveConfig({ hidden: 4, layers: 1, graphOutputs: 2, seed: 3 }));
    expect(a.config.aggregation).toBe(resolveConfig({}).aggregation);
    const [oa, ob, oc] = [output(a), output(b), output(c)];
    expect(oa).toHaveLength(2);
    expect(oa.every(Number.isFinite)).toBe(true);
    expect(ob).toEqual(oa);
    expect(oc).not.toEqual(oa);
    // A config that cannot build a model is refused by name.
    expect(() => createGMN({ hidden: 0 })).toThrow(InvalidConfigError);
    [a, b, c].forEach((m) => m.dispose());
  });

  test('aggregate: sum, mean and max per segment, 0 for empty segments', async () => {
    await initBackend({ backend: 'wasm' });
    const x = tf.tensor2d([[1, -2], [3, 4], [5, -6]]);
    const ids = tf.tensor1d([0, 0, 2], 'int32');
    expect(aggregate(x, ids, 3, 'sum').arraySync()).toEqual([[4, 2], [0, 0], [5, -6]]);
    expect(aggregate(x, ids, 3, 'mean').arraySync()).toEqual([[2, 1], [0, 0], [5, -6]]);
    expect(aggregate(x, ids, 3, 'max').arraySync()).toEqual([[3, 4], [0, 0], [5, -6]]);
  });

  test('parameterShapes matches a real model and allocates nothing', async () => {
    await initBackend({ backend: 'cpu' });
    const before = tf.memory().numTensors;
    const shapes = GMN.parameterShapes({ hidden: 5, layers: 2, edgeOutputs: 3 });
    expect(tf.memory().numTensors).toBe(before);
    const m = new GMN({ hidden: 5, layers: 2, edgeOutputs: 3 });
    expect([...shapes.keys()]).toEqual(m.weightNames());
    for (const [n, v] of m.getWeights()) expect(shapes.get(n)).toEqual(v.shape);
    m.dispose();
  });
});
