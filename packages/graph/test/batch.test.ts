import { describe, expect, it } from 'vitest';
import { architecture } from '@metanet/spec';
import { BatchError, batchGraphs, EDGE_FEATURE_DIM, NODE_FEATURE_DIM, toParameterGraph, unbatchEdgeValues, unbatchNodeValues } from '../src/index';
import { COVERAGE_SPECS, sameBytes, seededParams } from './helpers';

const specs = [architecture('mlp:5-4-3'), COVERAGE_SPECS.resnet, COVERAGE_SPECS.attention].map((s) => s as NonNullable<typeof s>);
const graphs = specs.map((s, i) => toParameterGraph(s, seededParams(s, i + 1)));

describe('batchGraphs', () => {
  const b = batchGraphs(graphs);

  it('concatenates with node offsets and per-node / per-edge graph ids', () => {
    expect(b.numGraphs).toBe(3);
    expect(Array.from(b.nodeOffsets)).toEqual([0, graphs[0]!.numNodes, graphs[0]!.numNodes + graphs[1]!.numNodes, b.numNodes]);
    expect(b.numEdges).toBe(graphs.reduce((a, g) => a + g.numEdges, 0));
    graphs.forEach((g, k) => {
      const n0 = b.nodeOffsets[k]!;
      const e0 = b.edgeOffsets[k]!;
      for (let e = 0; e < g.numEdges; e++) {
        if (b.edgeIndex[e0 + e] !== g.edgeIndex[e]! + n0 || b.edgeIndex[b.numEdges + e0 + e] !== g.edgeIndex[g.numEdges + e]! + n0) {
          throw new Error(`edge ${e} of graph ${k} was not shifted by ${n0}`);
        }
        if (b.edgeGraph[e0 + e] !== k) throw new Error(`edgeGraph wrong at ${e0 + e}`);
      }
      for (let n = 0; n < g.numNodes; n++) expect(b.nodeGraph[n0 + n]).toBe(k);
      expect(sameBytes(b.edgeFeatures.subarray(e0 * EDGE_FEATURE_DIM, (e0 + g.numEdges) * EDGE_FEATURE_DIM), g.edgeFeatures)).toBe(true);
      expect(sameBytes(b.nodeFeatures.subarray(n0 * NODE_FEATURE_DIM, (n0 + g.numNodes) * NODE_FEATURE_DIM), g.nodeFeatures)).toBe(true);
    });
    // Parameter ranges follow the graphs, shifted to batch edge ids.
    expect(b.paramEdges.length).toBe(graphs.reduce((a, g) => a + g.paramEdges.length, 0));
    expect(b.paramEdges[graphs[0]!.paramEdges.length]!.start).toBe(b.edgeOffsets[1]);
  });

  it('rejects an empty list', () => {
    expect(() => batchGraphs([])).toThrow(BatchError);
  });
});

describe('unbatchEdgeValues / unbatchNodeValues', () => {
  const b = batchGraphs(graphs);

  it('splits per-edge rows of width k back per graph', () => {
    const k = 3;
    const values = Float32Array.from({ length: b.numEdges * k }, (_, i) => i);
    const parts = unbatchEdgeValues(b, values);
    expect(parts.map((p) => p.length)).toEqual(graphs.map((g) => g.numEdges * k));
    expect(parts[1]![0]).toBe(b.edgeOffsets[1]! * k);
  });

  it('splits per-node rows back per graph', () => {
    const parts = unbatchNodeValues(b, Float32Array.from({ length: b.numNodes }, (_, i) => i));
    expect(parts.map((p) => p.length)).toEqual(graphs.map((g) => g.numNodes));
    expect(parts[2]![0]).toBe(b.nodeOffsets[2]);
  });

  it('rejects a length that is not a multiple of the edge or node count', () => {
    expect(() => unbatchEdgeValues(b, new Float32Array(b.numEdges + 1))).toThrow(BatchError);
    expect(() => unbatchEdgeValues(b, new Float32Array(0))).toThrow(BatchError);
    expect(() => unbatchNodeValues(b, new Float32Array(b.numNodes * 2 + 1))).toThrow(/not a positive multiple/);
  });
});

describe('batches of edgeless graphs', () => {
  it('a net with no parameters is a graph of inputs only, and batches and unbatches', () => {
    const spec = { input: [3], layers: [{ type: 'activation', fn: 'relu' }] } as const;
    const g = toParameterGraph({ input: [...spec.input], layers: [...spec.layers] }, []);
    expect([g.numNodes, g.numEdges]).toEqual([3, 0]);
    const b = batchGraphs([g, g]);
    expect(unbatchEdgeValues(b, new Float32Array(0)).map((p) => p.length)).toEqual([0, 0]);
    expect(() => unbatchEdgeValues(b, new Float32Array(1))).toThrow(BatchError);
  });
});
