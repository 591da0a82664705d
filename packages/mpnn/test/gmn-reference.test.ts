import { batchGraphs } from '@metanet/graph';
import { initBackend, tf } from '@metanet/tensor';
import { beforeAll, describe, expect, test } from 'vitest';
import { GMN, INFERENCE, edgeFeatureDim, encodeEdgeFeatures, type FeatureConfig, type GMNConfig, type GraphTensors } from '../src/index';
import { mlpGraph, randomMlp } from './helpers';
import type { ParameterGraph } from '@metanet/graph';
import { RefWeights, refEdgeModel, refGMN, refGlobalModel, refNodeModel, type RefGraph } from './reference';

/** The reference reads the full E × edgeFeatureDim matrix the split upload stands for. */
function denseEdgeInput(g: ParameterGraph, features: FeatureConfig): number[][] {
  const d = edgeFeatureDim(features);
  const flat = encodeEdgeFeatures(g.edgeFeatures, g.numEdges, features);
  return Array.from({ length: g.numEdges }, (_, e) => Array.from(flat.subarray(e * d, (e + 1) * d)));
}

function refGraph(g: GraphTensors): RefGraph {
  return {
    src: Array.from(g.source.dataSync()),
    dst: Array.from(g.target.dataSync()),
    nodeGraph: Array.from(g.nodeGraph.dataSync()),
    edgeGraph: Array.from(g.edgeGraph.dataSync()),
    numGraphs: g.numGraphs,
  };
}

function expectClose(actual: number[][], expected: number[][], tol = 1e-3): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    expect(row.length).toBe(expected[i]!.length);
    row.forEach((x, j) => {
      const want = expected[i]![j]!;
      expect(Math.abs(x - want)).toBeLessThanOrEqual(tol * (1 + Math.abs(want)));
    });
  });
}

const BASE: Partial<GMNConfig> = { hidden: 6, globalHidden: 5, layers: 2, graphOutputs: 3, edgeOutputs: 2, edgeHeadZeroInit: false, seed: 3 };

const VARIANTS: { name: string; config: Partial<GMNConfig> }[] = [
  { name: 'sum, residual, node-global norm', config: {} },
  { name: 'mean, no residual, no norm', config: { aggregation: 'mean', residual: false, layerNorm: 'none' } },
  { name: 'max, norm everywhere, leaky relu', config: { aggregation: 'max', layerNorm: 'all', activation: 'leaky_relu' } },
  { name: 'sum, naive concat path', config: { naive: true } },
  { name: 'messages in both directions, sum', config: { direction: 'both' } },
  { name: 'backward messages, mean, no norm', config: { direction: 'backward', aggregation: 'mean', layerNorm: 'none' } },
  { name: 'both directions, max, naive concat path', config: { direction: 'both', aggregation: 'max', naive: true } },
];

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`GMN vs explicit-loop reference (${backend})`, () => {
    beforeAll(async () => {
      await initBackend({ backend });
    });
    // Two graphs of different shapes in one batch, so per-graph pooling is exercised.
    const graphs = [mlpGraph(randomMlp([3, 4, 2], 1)), mlpGraph(randomMlp([2, 3, 3, 2], 2))];

    for (const { name, config } of VARIANTS) {
      test(name, () => {
        const model = new GMN({ ...BASE, ...config });
        const gt = model.graphTensors(batchGraphs(graphs));
        const W = RefWeights.from(model);
        const c = { ...model.config };
        const out = tf.tidy(() => {
          const o = model.apply(gt);
          return { graph: o.graph!.arraySync(), edge: o.edge!.arraySync() };
        });
        const ref = refGMN(W, refGraph(gt), gt.nodeInput.arraySync(), denseEdgeInput(batchGraphs(graphs), c.features), c.layers, c);
        expect(out.graph.length).toBe(2);
        expect(out.graph[0]!.length).toBe(3);
        expect(out.edge.length).toBe(gt.numEdges);
        expect(out.edge[0]!.length).toBe(2);
        expectClose(out.graph, ref.graph!);
        expectClose(out.edge, ref.edge!);
        gt.dispose();
        model.dispose();
      });
    }

    test('EdgeModel, NodeModel and GlobalModel each match the reference on random features', () => {
      for (const aggregation of ['sum', 'mean', 'max'] as const) {
        const model = new GMN({ ...BASE, layers: 1, aggregation });
        const gt = model.graphTensors(graphs);
        const layer = model.layers[0]!;
        const W = RefWeights.from(model);
        const rg = refGraph(gt);
        const c = model.config;
        const v = tf.randomNormal([gt.numNodes, 6], 0, 1, 'float32', 1) as tf.Tensor2D;
        const e = tf.randomNormal([gt.numEdges, 6], 0, 1, 'float32', 2) as tf.Tensor2D;
        const u = tf.randomNormal([gt.numGraphs, 5], 0, 1, 'float32', 3) as tf.Tensor2D;
        const [va, ea, ua] = [v.arraySync(), e.arraySync(), u.arraySync()];
        const e2 = layer.edgeModel!.forward(gt, v, e, u, INFERENCE);
        expect(e2.shape).toEqual([gt.numEdges, 6]);
        expectClose(e2.arraySync(), refEdgeModel(W, 'layers.0.edge', rg, va, ea, ua, c));
        const v2 = layer.nodeModel!.forward(gt, v, e, u, INFERENCE);
        expect(v2.shape).toEqual([gt.numNodes, 6]);
        expectClose(v2.arraySync(), refNodeModel(W, 'layers.0.node', rg, va, ea, ua, c));
        const u2 = layer.globalModel!.forward(gt, v, e, u, INFERENCE);
        expect(u2.shape).toEqual([gt.numGraphs, 5]);
        expectClose(u2.arraySync(), refGlobalModel(W, 'layers.0.global', rg, va, ea, ua, c));
        const whole = layer.forward(gt, { v, e, u });
        expectClose(whole.e.arraySync(), e2.arraySync(), 1e-6);
        tf.dispose([v, e, u, e2, v2, u2, whole.v, whole.e, whole.u]);
        gt.dispose();
        model.dispose();
      }
    });
  });
}

describe('naive and projected first layers', () => {
  test('give the same outputs with the same weights', async () => {
    await initBackend({ backend: 'wasm' });
    const g = mlpGraph(randomMlp([4, 5, 3], 7));
    const fast = new GMN({ ...BASE, seed: 11 });
    const slow = new GMN({ ...BASE, seed: 11, naive: true });
    const gt = fast.graphTensors(g);
    const a = fast.apply(gt);
    const b = slow.apply(gt);
    expectClose(a.graph!.arraySync(), b.graph!.arraySync(), 1e-4);
    expectClose(a.edge!.arraySync(), b.edge!.arraySync(), 1e-4);
    tf.dispose([a.graph!, a.edge!, b.graph!, b.edge!]);
    gt.dispose();
    fast.dispose();
    slow.dispose();
  });
});
