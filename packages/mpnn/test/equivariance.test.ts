/**
 * The GMN respects exactly the symmetries of the networks it reads (README, "Equivariance"):
 * coupled hidden-neuron permutations leave graph-level outputs unchanged and permute
 * edge-level outputs with the edges; uncoupled permutations and output-class
 * permutations are real changes of the function, and the GMN must see them.
 */
import { toParameterGraph, type ParameterGraph } from '@metanet/graph';
import { initParamArrays } from '@metanet/nets';
import { architecture, paramInfos, permuteHiddenArrays, randomHiddenPermutation, validateSpec, type NetSpec } from '@metanet/spec';
import { initBackend, tf } from '@metanet/tensor';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIRECTIONS, GMN } from '../src/index';
import { mlpGraph, permuteMlpHidden, randomMlp } from './helpers';

const ATOL = 1e-4;

const NETS: { name: string; spec: NetSpec }[] = [
  { name: 'MLP 6-5-4-3', spec: architecture('mlp:6-5-4-3') },
  { name: 'plain CNN, no BN (small-cnn)', spec: architecture('small-cnn', { width: 4, inputSize: 8, classes: 3 }) },
  { name: 'residual net (resnet-mini)', spec: architecture('resnet-mini', { width: 2, inputSize: 8, classes: 3 }) },
  // Two heads on a shared trunk: the trunk permutes, the 13 output nodes (10 label, 3 group) stay put.
  { name: 'multi-head CNN (small-cnn-mt)', spec: architecture('small-cnn-mt', { width: 4, inputSize: 8 }) },
  {
    // γ and β are edges from their own nodes to each channel: permuting channels must move them with the conv filters.
    name: 'CNN with BN (conv-BN-ReLU, flatten, dense-BN)',
    spec: validateSpec({
      input: [5, 5, 2],
      layers: [
        { type: 'conv2d', filters: 4, kernel: 3, padding: 1 },
        { type: 'batchnorm' },
        { type: 'activation', fn: 'relu' },
        { type: 'maxpool', size: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 6 },
        { type: 'batchnorm' },
        { type: 'activation', fn: 'relu' },
        { type: 'dense', units: 3 },
      ],
    }),
  },
];

let model: GMN;

function run(g: ParameterGraph, m: GMN = model): { graph: Float32Array; edge: Float32Array } {
  const saved = model;
  model = m;
  try {
    return runWith(g);
  } finally {
    model = saved;
  }
}

function runWith(g: ParameterGraph): { graph: Float32Array; edge: Float32Array } {
  const gt = model.graphTensors(g);
  const out = tf.tidy(() => {
    const o = model.apply(gt);
    return { graph: o.graph!.dataSync() as Float32Array, edge: (o.edge?.dataSync() ?? new Float32Array(0)) as Float32Array };
  });
  gt.dispose();
  return out;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/**
 * For each parameter edge of the permuted net's graph, the matching edge of the original
 * graph; −1 for parameter-free edges (residual/flatten), which carry no parameter label.
 */
function edgeCorrespondence(spec: NetSpec, perms: Record<string, ArrayLike<number>>, g: ParameterGraph): Int32Array {
  const infos = paramInfos(spec);
  // Permute "where did I come from" labels: each entry holds its own flat edge id.
  const labels = infos.map((_, k) => {
    const r = g.paramEdges[k]!;
    return Float32Array.from({ length: r.count }, (_, i) => r.start + i);
  });
  const moved = permuteHiddenArrays(spec, labels, perms).params;
  const map = new Int32Array(g.numEdges).fill(-1);
  moved.forEach((arr, k) => arr.forEach((from, i) => (map[g.paramEdges[k]!.start + i] = from)));
  return map;
}

describe('GMN equivariance', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    model = new GMN({ hidden: 8, globalHidden: 6, layers: 2, graphOutputs: 2, edgeOutputs: 1, edgeHeadZeroInit: false, seed: 13, aggregation: 'mean' });
  });
  afterAll(() => model.dispose());

  for (const { name, spec } of NETS) {
    test(`${name}: coupled hidden permutations leave the graph output unchanged and permute edge outputs`, () => {
      const params = initParamArrays(spec, { seed: 1 });
      const g = toParameterGraph(spec, params);
      const base = run(g);
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
          const perms = randomHiddenPermutation(spec, seed);
          const permuted = permuteHiddenArrays(spec, params, perms).params;
          const g2 = toParameterGraph(spec, permuted);
          const out = run(g2);
          expect(maxDiff(out.graph, base.graph)).toBeLessThan(ATOL * Math.max(1, ...Array.from(base.graph, Math.abs)));
          const map = edgeCorrespondence(spec, perms, g);
          const idx = Array.from(map.keys()).filter((i) => map[i]! >= 0);
          expect(idx.length).toBeGreaterThan(0);
          const got = idx.map((i) => out.edge[i]!);
          const expected = idx.map((i) => base.edge[map[i]!]!);
          expect(maxDiff(got, expected)).toBeLessThan(ATOL * Math.max(1, ...Array.from(base.edge, Math.abs)));
        }),
        { numRuns: 3, seed: 21 },
      );
    });
  }

  test('an uncoupled permutation (rows of one layer, not the next columns) changes the output', () => {
    // Sum aggregation: a mean over many similar messages would make the change real but tiny.
    const sens = new GMN({ hidden: 8, globalHidden: 6, layers: 3, graphOutputs: 2, seed: 17 });
    for (const { spec } of NETS) {
      const params = initParamArrays(spec, { seed: 2 });
      const base = run(toParameterGraph(spec, params), sens);
      const w0 = paramInfos(spec)[0]!;
      const rows = w0.shape[0]!;
      const rowSize = params[0]!.length / rows;
      const shuffled = params.map((p) => p.slice());
      // Reverse the rows of the first weight only: the network now computes a different function.
      for (let r = 0; r < rows; r++) shuffled[0]!.set(params[0]!.subarray((rows - 1 - r) * rowSize, (rows - r) * rowSize), r * rowSize);
      const out = run(toParameterGraph(spec, shuffled), sens);
      // Measured in float32 ulps of the output scale (outputs reach ~850 here, where an ulp is
      // 6e-5): a coupled permutation only reorders sums, so it moves the output by a few ulps
      // (0.6–6.4 measured); the uncoupled one changes the function, by 166–16,666 ulps.
      const coupled = run(toParameterGraph(spec, permuteHiddenArrays(spec, params, randomHiddenPermutation(spec, 3)).params), sens);
      const ulp = Math.max(...Array.from(base.graph, Math.abs)) * 2 ** -23;
      const noise = maxDiff(coupled.graph, base.graph);
      const change = maxDiff(out.graph, base.graph);
      expect(noise / ulp).toBeLessThan(16);
      expect(change / ulp).toBeGreaterThan(50);
      expect(change).toBeGreaterThan(20 * noise);
    }
    sens.dispose();
  });

  test('small-cnn-mt under a head-aware encoder: hidden permutations commute with the edit, head identity tells the heads apart', () => {
    const spec = NETS.find((n) => n.name.startsWith('multi-head'))!.spec;
    const aware = new GMN({ hidden: 8, globalHidden: 6, layers: 2, graphOutputs: 2, edgeOutputs: 1, edgeHeadZeroInit: false, seed: 23, features: { frequencies: 8, valueFrequencies: 8, heads: 2 } });
    const params = initParamArrays(spec, { seed: 4 });
    const g = toParameterGraph(spec, params);
    const base = run(g, aware);
    const perms = randomHiddenPermutation(spec, 11);
    const out = run(toParameterGraph(spec, permuteHiddenArrays(spec, params, perms).params), aware);
    expect(maxDiff(out.graph, base.graph)).toBeLessThan(ATOL * Math.max(1, ...Array.from(base.graph, Math.abs)));
    const map = edgeCorrespondence(spec, perms, g);
    const idx = Array.from(map.keys()).filter((i) => map[i]! >= 0);
    expect(maxDiff(idx.map((i) => out.edge[i]!), idx.map((i) => base.edge[map[i]!]!))).toBeLessThan(ATOL * Math.max(1, ...Array.from(base.edge, Math.abs)));
    // The same graph with its heads' identities swapped: the head-aware encoder sees another net, the plain one cannot.
    const swapped = { ...g, nodeHeads: Int32Array.from(g.nodeHeads!, (h) => (h < 0 ? h : 1 - h)) };
    const scale = Math.max(1, ...Array.from(base.graph, Math.abs));
    expect(maxDiff(run(swapped, aware).graph, base.graph)).toBeGreaterThan(1e-3 * scale);
    const plain = new GMN({ hidden: 8, globalHidden: 6, layers: 2, graphOutputs: 2, seed: 23 });
    expect(run(swapped, plain).graph).toEqual(run(g, plain).graph);
    aware.dispose();
    plain.dispose();
  });

  test('permuting the output classes changes the graph output', () => {
    const spec = NETS[0]!.spec;
    const infos = paramInfos(spec);
    const params = initParamArrays(spec, { seed: 3 });
    const base = run(toParameterGraph(spec, params));
    const lastW = infos.length - 2;
    const classes = infos[lastW]!.shape[0]!;
    const inDim = infos[lastW]!.shape[1]!;
    const swapped = params.map((p) => p.slice());
    // Swap classes 0 and 1: rows of the last weight and entries of the last bias.
    for (const [a, b] of [[0, 1], [1, 0]] as const) {
      swapped[lastW]!.set(params[lastW]!.subarray(b * inDim, (b + 1) * inDim), a * inDim);
      swapped[lastW + 1]![a] = params[lastW + 1]![b]!;
    }
    expect(classes).toBeGreaterThan(1);
    const out = run(toParameterGraph(spec, swapped));
    expect(maxDiff(out.graph, base.graph)).toBeGreaterThan(1e-3);
  });

  test('hand-built MLP graphs: coupled invariance holds for sum aggregation too', () => {
    const sumModel = new GMN({ hidden: 8, globalHidden: 6, layers: 2, graphOutputs: 2, seed: 4 });
    const m = randomMlp([3, 5, 4, 2], 9);
    const p = permuteMlpHidden(permuteMlpHidden(m, 1, [4, 2, 0, 1, 3]), 2, [3, 1, 2, 0]);
    const out = (g: ParameterGraph) => {
      const gt = sumModel.graphTensors(g);
      const y = tf.tidy(() => sumModel.apply(gt).graph!.dataSync() as Float32Array);
      gt.dispose();
      return y;
    };
    const a = out(mlpGraph(m));
    expect(maxDiff(out(mlpGraph(p)), a)).toBeLessThan(ATOL * Math.max(1, ...Array.from(a, Math.abs)));
    expect(maxDiff(out(mlpGraph(permuteMlpHidden(m, 1, [4, 2, 0, 1, 3], false))), a)).toBeGreaterThan(1e-3);
    sumModel.dispose();
  });
});

/** Conv–BN–ReLU twice: BatchNorm's γ/β nodes and running statistics move with their channels. */
const BN_NET: NetSpec = {
  name: 'bn-cnn',
  input: [6, 6, 2],
  layers: [
    { type: 'conv2d', filters: 3, kernel: 3, stride: 1, padding: 1 }, { type: 'batchnorm' }, { type: 'activation', fn: 'relu' },
    { type: 'conv2d', filters: 4, kernel: 3, stride: 2, padding: 1 }, { type: 'batchnorm' }, { type: 'activation', fn: 'relu' },
    { type: 'globalavgpool' },
    { type: 'dense', units: 3 },
  ],
};

describe('GMN equivariance in every message direction', () => {
  const nets = [
    NETS[0]!,
    { name: 'small-cnn', spec: architecture('small-cnn', { width: 4, inputSize: 8, classes: 3 }) },
    NETS[2]!,
    { name: 'conv-BN net', spec: BN_NET },
  ];

  for (const direction of DIRECTIONS) {
    test(`${direction}: coupled permutations keep the graph output and permute edge outputs; an uncoupled one changes it`, () => {
      const m = new GMN({ hidden: 8, globalHidden: 6, layers: 2, graphOutputs: 2, edgeOutputs: 1, edgeHeadZeroInit: false, seed: 19, direction });
      for (const { spec } of nets) {
        const params = initParamArrays(spec, { seed: 5 });
        const g = toParameterGraph(spec, params);
        const base = run(g, m);
        const perms = randomHiddenPermutation(spec, 7);
        const out = run(toParameterGraph(spec, permuteHiddenArrays(spec, params, perms).params), m);
        const graphScale = Math.max(1, ...Array.from(base.graph, Math.abs));
        expect(maxDiff(out.graph, base.graph)).toBeLessThan(ATOL * graphScale);
        const map = edgeCorrespondence(spec, perms, g);
        const idx = Array.from(map.keys()).filter((i) => map[i]! >= 0);
        expect(idx.length).toBeGreaterThan(0);
        const got = idx.map((i) => out.edge[i]!);
        const expected = idx.map((i) => base.edge[map[i]!]!);
        expect(maxDiff(got, expected)).toBeLessThan(ATOL * Math.max(1, ...Array.from(base.edge, Math.abs)));
        // Uncoupled: reverse the rows of the first weight only (a different function).
        const rows = paramInfos(spec)[0]!.shape[0]!;
        const rowSize = params[0]!.length / rows;
        const shuffled = params.map((p) => p.slice());
        for (let r = 0; r < rows; r++) shuffled[0]!.set(params[0]!.subarray((rows - 1 - r) * rowSize, (rows - r) * rowSize), r * rowSize);
        const changed = run(toParameterGraph(spec, shuffled), m);
        expect(maxDiff(changed.graph, base.graph)).toBeGreaterThan(100 * maxDiff(out.graph, base.graph) + 1e-5 * graphScale);
      }
      m.dispose();
    });
  }
});
