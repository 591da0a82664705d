import { describe, expect, it } from 'vitest';
import { architecture, countParams } from '@metanet/spec';
import { graphStats, toParameterGraph } from '../src/index';
import { COVERAGE_SPECS, seededParams } from './helpers';

describe('graphStats', () => {
  it('counts homework-cnn by node type, edge type and layer', () => {
    const spec = architecture('homework-cnn', { inChannels: 3 });
    const s = graphStats(toParameterGraph(spec, seededParams(spec)));
    expect(s).toMatchObject({ numNodes: 216, numEdges: 59_050, numParams: 59_050, numStructuralEdges: 0 });
    expect(s.nodesByType).toEqual({ input: 3, hidden: 32 + 64 + 64 + 32, output: 10, bias: 5, gamma: 3, beta: 3, spatial: 0, head: 0 });
    expect(s.edgesByType.conv).toBe(3 * 32 * 9 + 32 * 64 * 9 + 64 * 64 * 9);
    expect(s.edgesByType.dense).toBe(64 * 32 + 32 * 10);
    expect(s.edgesByType.bias).toBe(32 + 64 + 64 + 32 + 10);
    expect(s.edgesByType.gamma).toBe(32 + 64 + 64);
    expect(s.layers.map((l) => l.layer)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(s.layers[0]).toEqual({ layer: 0, nodes: 3, edges: 0, params: 0 });
    // layer 1: 32 channels + bias + γ + β; edges: conv + bias + γ + β
    expect(s.layers[1]).toEqual({ layer: 1, nodes: 35, edges: 864 + 32 * 3, params: 864 + 32 * 3 });
    expect(s.layers.reduce((a, l) => a + l.nodes, 0)).toBe(216);
  });

  it('separates parameter-free edges from parameters', () => {
    const spec = COVERAGE_SPECS.attention!;
    const s = graphStats(toParameterGraph(spec, seededParams(spec)));
    expect(s.numParams).toBe(countParams(spec));
    expect(s.numStructuralEdges).toBe(s.edgesByType.head + s.edgesByType.flatten + s.edgesByType.residual);
    expect(s.numStructuralEdges).toBeGreaterThan(0);
    expect(s.layers.reduce((a, l) => a + l.edges - l.params, 0)).toBe(s.numStructuralEdges);
  });
});
