/**
 * Hidden-neuron permutations leave the function unchanged, and must leave the parameter graph
 * unchanged up to relabelling the permuted nodes. Two sources of permutations: a small local one
 * on fixed nets (which can also be made uncoupled, to show the check can fail), and
 * @metanet/spec's `permuteHiddenArrays` (the host-array form of `permuteHidden`, tfjs-free) on
 * random specs with every hidden group permuted.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { architecture, paramInfos, permuteHiddenArrays, randomHiddenPermutation, type NetSpec } from '@metanet/spec';
import { EDGE_FEATURE_DIM, NODE_FEATURE_DIM, toParameterGraph, type ParameterGraph } from '../src/index';
import { planGraph, type NodeGroup } from '../src/plan';
import { anySpec } from './arbitraries';
import { randomBitParams } from './helpers';

/** Permutes axis `axis` (0 or 1) of a row-major tensor of `shape`: out[.., a, ..] = in[.., perm[a], ..]. */
function permuteAxis(t: Float32Array, shape: number[], axis: 0 | 1, perm: number[]): Float32Array {
  const out = new Float32Array(t.length);
  const [d0, d1] = [shape[0] as number, shape[1] ?? 1];
  const inner = t.length / (d0 * d1);
  for (let a = 0; a < d0; a++) {
    for (let b = 0; b < d1; b++) {
      const [sa, sb] = axis === 0 ? [perm[a] as number, b] : [a, perm[b] as number];
      out.set(t.subarray((sa * d1 + sb) * inner, (sa * d1 + sb + 1) * inner), (a * d1 + b) * inner);
    }
  }
  return out;
}

/**
 * Permutes the output neurons of spec.layers[layer] (dense or conv2d): its weight rows, its bias,
 * the γ/β of norms right after it, and (if `coupled`) the input columns of the next weight.
 */
function permuteHidden(spec: NetSpec, params: Float32Array[], layer: number, perm: number[], coupled = true): Float32Array[] {
  const infos = paramInfos(spec);
  const next = infos.findIndex((p) => p.layerIndex > layer && p.kind === 'weight');
  return params.map((t, j) => {
    const info = infos[j];
    if (!info) throw new Error('bad index');
    if (info.layerIndex === layer || (info.layerIndex > layer && j < next)) return permuteAxis(t, info.shape, 0, perm);
    if (j === next && coupled) return permuteAxis(t, info.shape, 1, perm);
    return t;
  });
}

function edgeKey(g: ParameterGraph, e: number, map: (n: number) => number): string {
  const f = e * EDGE_FEATURE_DIM;
  const ef = g.edgeFeatures;
  return `${map(g.edgeIndex[e] as number)}>${map(g.edgeIndex[g.numEdges + e] as number)}|${ef[f + 1]}|${ef[f + 2]}|${ef[f + 3]}|${ef[f + 4]}`;
}

/** Edge value bits keyed by (source, target, features), with nodes relabelled by `map`. */
function edgeTable(g: ParameterGraph, map: (n: number) => number = (n) => n): Map<string, number> {
  const bits = new Uint32Array(g.edgeFeatures.buffer);
  const table = new Map<string, number>();
  for (let e = 0; e < g.numEdges; e++) table.set(edgeKey(g, e, map), bits[e * EDGE_FEATURE_DIM] as number);
  return table;
}

function sortedFeatureRows(g: ParameterGraph): string[] {
  const bits = new Uint32Array(g.edgeFeatures.buffer);
  const rows: string[] = [];
  for (let e = 0; e < g.numEdges; e++) rows.push(Array.from(bits.subarray(e * EDGE_FEATURE_DIM, (e + 1) * EDGE_FEATURE_DIM)).join(','));
  return rows.sort();
}

const CASES: Array<{ name: string; spec: NetSpec; layer: number; width: number }> = [
  { name: 'MLP hidden layer', spec: architecture('mlp:6-5-4-3'), layer: 0, width: 5 },
  { name: 'MLP second hidden layer', spec: architecture('mlp:6-5-4-3'), layer: 2, width: 4 },
  {
    name: 'CNN channels with BN',
    spec: {
      input: [6, 6, 2],
      layers: [
        { type: 'conv2d', filters: 6, kernel: 3, padding: 1 },
        { type: 'batchnorm' },
        { type: 'activation', fn: 'relu' },
        { type: 'avgpool', size: 2 },
        { type: 'conv2d', filters: 4, kernel: [2, 3] },
        { type: 'globalavgpool' },
        { type: 'dense', units: 3 },
      ],
    },
    layer: 0,
    width: 6,
  },
  { name: 'CNN into GAP → dense', spec: architecture('small-cnn', { width: 4, inputSize: 8 }), layer: 4, width: 4 },
];

const permutation = (n: number): fc.Arbitrary<number[]> =>
  fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }).map((keys) => [...keys.keys()].sort((a, b) => (keys[a] as number) - (keys[b] as number)));

describe.each(CASES)('permuting hidden neurons: $name', ({ spec, layer, width }) => {
  const setup = (perm: number[], seed: number, coupled = true) => {
    const params = randomBitParams(spec, seed);
    const g = toParameterGraph(spec, params);
    const h = toParameterGraph(spec, permuteHidden(spec, params, layer, perm, coupled));
    const range = g.paramEdges.find((r) => r.name === `layers.${layer}.weight`);
    if (!range) throw new Error('layer has no weight');
    const first = g.edgeIndex[g.numEdges + range.start] as number; // node of output neuron 0
    const inverse = new Array<number>(perm.length);
    perm.forEach((old, pos) => (inverse[old] = pos));
    // Old neuron a now sits at position inverse[a].
    const phi = (n: number): number => (n >= first && n < first + width ? first + (inverse[n - first] as number) : n);
    return { g, h, phi };
  };

  it('yields an isomorphic graph: same edge-feature multiset, node map given by the permutation', () => {
    fc.assert(
      fc.property(permutation(width), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (perm, seed) => {
        const { g, h, phi } = setup(perm, seed);
        expect(sortedFeatureRows(h)).toEqual(sortedFeatureRows(g));
        expect(edgeTable(g, phi)).toEqual(edgeTable(h));
        for (let n = 0; n < g.numNodes; n++) {
          const m = phi(n);
          expect(Array.from(h.nodeFeatures.subarray(m * NODE_FEATURE_DIM, (m + 1) * NODE_FEATURE_DIM))).toEqual(
            Array.from(g.nodeFeatures.subarray(n * NODE_FEATURE_DIM, (n + 1) * NODE_FEATURE_DIM)),
          );
        }
      }),
      { numRuns: 15 },
    );
  });

  it('an uncoupled permutation (next layer left alone) breaks the isomorphism', () => {
    // A fixed non-identity permutation: rotate by one.
    const perm = [...Array(width).keys()].map((i) => (i + 1) % width);
    const { g, h, phi } = setup(perm, 11, false);
    expect(edgeTable(g, phi)).not.toEqual(edgeTable(h));
  });
});

/**
 * The node relabelling a hidden permutation induces, from the graph plan: each node group is
 * tied to the permutation group of @metanet/spec's plan that reorders its neurons (spatial nodes
 * move with their channel, block by block).
 */
function nodeMap(spec: NetSpec, perms: Record<string, Int32Array>): (n: number) => number {
  const plan = planGraph(spec);
  const map = Int32Array.from({ length: plan.numNodes }, (_, n) => n);
  const assign = (g: NodeGroup, id: string | null): void => {
    const p = id === null ? undefined : perms[id];
    if (!p) return;
    const size = p.length;
    const inverse = new Int32Array(size);
    p.forEach((old, pos) => (inverse[old] = pos));
    for (let j = 0; j < g.count; j++) {
      if (g.type === 'spatial') {
        const [c, pos] = g.channelMajor ? [Math.floor(j / g.positions), j % g.positions] : [j % size, Math.floor(j / size)];
        map[g.start + j] = g.start + (g.channelMajor ? (inverse[c] as number) * g.positions + pos : pos * size + (inverse[c] as number));
      } else {
        map[g.start + j] = g.start + (inverse[j] as number);
      }
    }
  };
  let stream: string | null = null; // permutation group of the current neurons
  spec.layers.forEach((layer, i) => {
    const mine = plan.groups.filter((g) => g.specLayer === i);
    const role = (r: string) => mine.filter((g) => g.role === r);
    if (layer.type === 'dense' || layer.type === 'conv2d' || layer.type === 'attention') stream = `layers.${i}`;
    if (layer.type === 'residual') {
      for (const g of role('conv1')) assign(g, `layers.${i}.inner`);
      if (role('shortcut').length) stream = `layers.${i}`;
      for (const g of role('shortcut')) assign(g, stream);
    }
    for (const g of role('out')) assign(g, stream);
  });
  return (n) => map[n] as number;
}

function edgeMultiset(g: ParameterGraph, map: (n: number) => number = (n) => n): Map<string, number[]> {
  const bits = new Uint32Array(g.edgeFeatures.buffer);
  const out = new Map<string, number[]>();
  for (let e = 0; e < g.numEdges; e++) {
    const k = edgeKey(g, e, map);
    const list = out.get(k) ?? [];
    list.push(bits[e * EDGE_FEATURE_DIM] as number);
    out.set(k, list);
  }
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

describe('permuteHiddenArrays of @metanet/spec on random specs (property)', () => {
  it('every hidden permutation yields an isomorphic graph under the induced node map', () => {
    fc.assert(
      fc.property(anySpec, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (spec, seed) => {
        const params = randomBitParams(spec, seed + 1);
        const perms = randomHiddenPermutation(spec, seed);
        const permuted = permuteHiddenArrays(spec, params, perms).params;
        const g = toParameterGraph(spec, params);
        const h = toParameterGraph(spec, permuted);
        const phi = nodeMap(spec, perms);
        expect(sortedFeatureRows(h)).toEqual(sortedFeatureRows(g));
        expect(edgeMultiset(g, phi)).toEqual(edgeMultiset(h));
        for (let n = 0; n < g.numNodes; n++) {
          const m = phi(n);
          for (let c = 0; c < NODE_FEATURE_DIM; c++) {
            if (h.nodeFeatures[m * NODE_FEATURE_DIM + c] !== g.nodeFeatures[n * NODE_FEATURE_DIM + c]) throw new Error(`node ${n} → ${m} differs`);
          }
        }
      }),
      { numRuns: 80 },
    );
  });
});
