/**
 * Multi-head nets: one output-node group per head, with the head as a node feature
 * (`nodeHeads`), a graph otherwise the same as the single-head net with as many outputs, and
 * trunk permutations that relabel the graph consistently while the heads' outputs stay put.
 */
import { describe, expect, it } from 'vitest';
import { architecture, hiddenGroups, permuteHiddenArrays, randomHiddenPermutation } from '@metanet/spec';
import { batchGraphs, EDGE_FEATURE_DIM, NODE_FEATURE_DIM, NODE_TYPES, toGraphology, toParameterGraph, type ParameterGraph } from '../src/index';
import { planGraph } from '../src/plan';
import { sameBytes, seededParams } from './helpers';

const mt = architecture('small-cnn-mt', { width: 4, inputSize: 8 });
// The same layers with one 13-way head.
const single = architecture('small-cnn', { width: 4, inputSize: 8, classes: 13 });
const OUTPUT = NODE_TYPES.indexOf('output');

function outputNodes(g: ParameterGraph): number[] {
  const out: number[] = [];
  for (let n = 0; n < g.numNodes; n++) if (g.nodeFeatures[n * NODE_FEATURE_DIM + 2] === OUTPUT) out.push(n);
  return out;
}

/** Edge value bits keyed by (source, target, features), nodes relabelled by `map`. */
function edgeTable(g: ParameterGraph, map: (n: number) => number): Map<string, number> {
  const bits = new Uint32Array(g.edgeFeatures.buffer);
  const t = new Map<string, number>();
  for (let e = 0; e < g.numEdges; e++) {
    const f = e * EDGE_FEATURE_DIM;
    const ef = g.edgeFeatures;
    t.set(`${map(g.edgeIndex[e] as number)}>${map(g.edgeIndex[g.numEdges + e] as number)}|${ef[f + 1]}|${ef[f + 2]}|${ef[f + 3]}|${ef[f + 4]}`, bits[f] as number);
  }
  return t;
}

describe('parameter graph of a multi-head net', () => {
  it('has one output-node group per head, marked in nodeHeads; the rest is the single-head graph', () => {
    const params = seededParams(mt, 3);
    const g = toParameterGraph(mt, params);
    const s = toParameterGraph(single, params);
    expect(sameBytes(g.nodeFeatures, s.nodeFeatures)).toBe(true);
    expect(sameBytes(g.edgeFeatures, s.edgeFeatures)).toBe(true);
    expect(g.edgeIndex).toEqual(s.edgeIndex);
    expect(s.nodeHeads).toBeUndefined();
    const outs = outputNodes(g);
    expect(outs).toHaveLength(13);
    const heads = g.nodeHeads as Int32Array;
    expect(outs.map((n) => heads[n])).toEqual([...Array(10).fill(0), 1, 1, 1]);
    expect(outs.map((n) => g.nodeFeatures[n * NODE_FEATURE_DIM + 1])).toEqual([...Array(13).keys()]);
    expect([...heads].filter((h) => h >= 0)).toHaveLength(13);
    // Each output node is told apart by (ioIndex, head): no feature-preserving relabelling moves one.
    expect(new Set(outs.map((n) => `${g.nodeFeatures[n * NODE_FEATURE_DIM + 1]}/${heads[n]}`)).size).toBe(13);
  });

  it('permuting the trunk relabels the graph consistently and leaves the heads in place', () => {
    const params = seededParams(mt, 5);
    const perms = randomHiddenPermutation(mt, 7);
    expect(hiddenGroups(mt).map((h) => h.id)).toEqual(['layers.0', 'layers.2', 'layers.4']);
    const g = toParameterGraph(mt, params);
    const h = toParameterGraph(mt, permuteHiddenArrays(mt, params, perms).params);
    const plan = planGraph(mt);
    const map = Int32Array.from({ length: plan.numNodes }, (_, n) => n);
    for (const group of plan.groups.filter((x) => x.role === 'out' && x.type === 'hidden')) {
      const p = perms[`layers.${group.specLayer}`] as Int32Array;
      p.forEach((old, pos) => (map[group.start + old] = group.start + pos));
    }
    expect(edgeTable(g, (n) => map[n] as number)).toEqual(edgeTable(h, (n) => n));
    expect(h.nodeHeads).toEqual(g.nodeHeads);
    for (const n of outputNodes(g)) expect(map[n]).toBe(n);
    // An uncoupled change (the next conv's input columns left alone) is not an isomorphism.
    const broken = permuteHiddenArrays(mt, params, perms).params.map((t, k) => (k === 2 ? (params[2] as Float32Array) : t));
    expect(edgeTable(g, (n) => map[n] as number)).not.toEqual(edgeTable(toParameterGraph(mt, broken), (n) => n));
  });

  it('batches keep the heads (−1 for a single-head graph) and graphology exports them', () => {
    const g = toParameterGraph(mt, seededParams(mt, 1));
    const s = toParameterGraph(single, seededParams(single, 1));
    const b = batchGraphs([s, g]);
    expect(b.nodeHeads?.subarray(0, s.numNodes).every((v) => v === -1)).toBe(true);
    expect(b.nodeHeads?.subarray(s.numNodes)).toEqual(g.nodeHeads);
    expect(batchGraphs([s, s]).nodeHeads).toBeUndefined();
    const gg = toGraphology(g);
    const heads = gg.mapNodes((_, a) => a.head).filter((x) => x !== undefined);
    expect(heads).toEqual([...Array(10).fill(0), 1, 1, 1]);
  });
});
