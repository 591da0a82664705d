import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MultiDirectedGraph } from 'graphology';
import { architecture } from '@metanet/spec';
import { fromGraphology, GraphMismatchError, InvalidGraphologyError, toGraphology, toParameterGraph, type ParameterGraphology } from '../src/index';
import { anySpec } from './arbitraries';
import { randomBitParams, sameBytes, seededParams } from './helpers';

describe('toGraphology', () => {
  const spec = architecture('small-cnn', { width: 2, inputSize: 6 });
  const params = seededParams(spec);
  const g = toParameterGraph(spec, params);
  const gg = toGraphology(g, { spec });

  it('is a MultiDirectedGraph with one node per node and one edge per edge (parallel conv edges kept)', () => {
    expect(gg.type).toBe('directed');
    expect(gg.multi).toBe(true);
    expect([gg.order, gg.size]).toEqual([g.numNodes, g.numEdges]);
    // conv 1→2 with a 3×3 kernel: 9 parallel edges between input 0 and the first filter
    expect(gg.edges('0', String(g.edgeIndex[g.numEdges]))).toHaveLength(9);
  });

  it('carries readable attributes: layer, type, parameter name and index, value', () => {
    const e = gg.getEdgeAttributes('13');
    expect(e).toMatchObject({ type: 'conv', layer: 1, param: 'layers.0.weight', paramIndex: 13, kh: 1, kw: 1 });
    expect(e.value).toBe(params[0]![13]);
    expect(gg.getNodeAttributes('0')).toEqual({ layer: 0, ioIndex: 0, type: 'input', label: 'input' });
    expect(gg.getNodeAttribute('1', 'label')).toBe('layers.0 conv2d out');
    const last = String(g.numNodes - 1);
    expect(gg.getNodeAttributes(last)).toMatchObject({ type: 'bias', label: 'layers.7 dense bias' });
    expect(gg.getAttribute('name')).toBe('small-cnn');
  });

  it('refuses labels from a spec the graph was not built from', () => {
    expect(() => toGraphology(g, { spec: architecture('mlp:3-2') })).toThrow(GraphMismatchError);
  });

  it('labels residual and attention parts by role', () => {
    const r = architecture('resnet-mini', { width: 2, inputSize: 6 });
    const labels = new Set(toGraphology(toParameterGraph(r, seededParams(r)), { spec: r }).mapNodes((_, a) => a.label));
    for (const l of ['layers.3 residual conv1', 'layers.3 residual bn1.gamma', 'layers.4 residual shortcut', 'layers.4 residual downsample.1.beta']) {
      expect(labels).toContain(l);
    }
  });
});

describe('fromGraphology', () => {
  it('inverts toGraphology exactly (property, finite weights)', () => {
    fc.assert(
      fc.property(anySpec, fc.integer({ min: 1, max: 1000 }), (spec, seed) => {
        const g = toParameterGraph(spec, seededParams(spec, seed));
        const back = fromGraphology(toGraphology(g));
        expect(back.numNodes).toBe(g.numNodes);
        expect(sameBytes(back.edgeFeatures, g.edgeFeatures)).toBe(true);
        expect(sameBytes(back.nodeFeatures, g.nodeFeatures)).toBe(true);
        expect(Array.from(back.edgeIndex)).toEqual(Array.from(g.edgeIndex));
        expect(back.paramEdges).toEqual(g.paramEdges);
      }),
      { numRuns: 40 },
    );
  });

  it('keeps ±Infinity, −0 and NaN values', () => {
    const spec = architecture('mlp:3-2');
    const params = randomBitParams(spec, 9);
    params[0]!.set([NaN, Infinity, -Infinity, -0]);
    const back = fromGraphology(toGraphology(toParameterGraph(spec, params)));
    expect(Array.from(back.edgeFeatures.filter((_, i) => i % 5 === 0).subarray(0, 4))).toEqual([NaN, Infinity, -Infinity, -0]);
  });

  it('rebuilds parameter ranges from edge attributes when the graph attribute is gone', () => {
    const spec = architecture('mlp:3-2-2');
    const g = toParameterGraph(spec, seededParams(spec));
    const gg = toGraphology(g);
    gg.removeAttribute('paramEdges');
    expect(fromGraphology(gg).paramEdges.map((r) => [r.name, r.start, r.count])).toEqual(g.paramEdges.map((r) => [r.name, r.start, r.count]));
  });

  it('rejects graphs it did not export', () => {
    const bad: ParameterGraphology = new MultiDirectedGraph();
    bad.addNode('a', { layer: 0, ioIndex: 0, type: 'input' });
    expect(() => fromGraphology(bad)).toThrow(InvalidGraphologyError);
    const wrongType: ParameterGraphology = new MultiDirectedGraph();
    wrongType.addNode('0', { layer: 0, ioIndex: 0, type: 'neuron' as 'input' });
    expect(() => fromGraphology(wrongType)).toThrow(/type "neuron" is not one of input, hidden/);
  });
});
