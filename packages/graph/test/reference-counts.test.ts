import { describe, expect, it } from 'vitest';
import { architecture, countParams } from '@metanet/spec';
import { graphStats, toParameterGraph } from '../src/index';
import { seededParams } from './helpers';

function build(name: string, opts: Parameters<typeof architecture>[1] = {}) {
  const spec = architecture(name, opts);
  return { spec, graph: toParameterGraph(spec, seededParams(spec)) };
}

describe('reference counts (the reference GMN implementation)', () => {
  it('MLP 784-64-32-10: 893 nodes, 52,650 edges', () => {
    const { graph } = build('mlp:784-64-32-10');
    expect([graph.numNodes, graph.numEdges]).toEqual([893, 52_650]);
  });

  it('homework-cnn on 3 channels: 216 nodes, 59,050 edges', () => {
    const { graph } = build('homework-cnn', { inChannels: 3 });
    expect([graph.numNodes, graph.numEdges]).toEqual([216, 59_050]);
  });

  it('homework-cnn on 1 channel: 214 nodes, 58,474 edges', () => {
    const { graph } = build('homework-cnn', { inChannels: 1 });
    expect([graph.numNodes, graph.numEdges]).toEqual([214, 58_474]);
  });

  it('small-cnn c=16 on 1 channel: 4,970 edges', () => {
    const { graph } = build('small-cnn', { width: 16, inChannels: 1 });
    expect(graph.numEdges).toBe(4_970);
  });

  it('edges equal the parameter count for nets without residual or flatten edges', () => {
    for (const [name, opts] of [
      ['mlp:784-64-32-10', {}],
      ['mlp:7-3-3-2', {}],
      ['homework-cnn', { inChannels: 3 }],
      ['small-cnn', { width: 8, inChannels: 3 }],
    ] as const) {
      const { spec, graph } = build(name, opts);
      expect(graph.numEdges, name).toBe(countParams(spec));
      expect(graphStats(graph).numStructuralEdges, name).toBe(0);
    }
  });

  it('resnet-mini has one residual edge per block output channel on top of its parameters', () => {
    const { spec, graph } = build('resnet-mini', { width: 4 });
    // block 1: identity (4 edges); block 2: 1×1 projection, 8 edges from its own shortcut nodes
    expect(graph.numEdges - countParams(spec)).toBe(4 + 8);
    expect(graphStats(graph).edgesByType.residual).toBe(12);
  });
});
