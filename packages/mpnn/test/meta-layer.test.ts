import { initBackend, tf } from '@metanet/tensor';
import { beforeAll, describe, expect, test } from 'vitest';
import { GMN, INFERENCE, aggregate, aggregateFromPool, segmentPool, type EdgePools, type GMNConfig, type GraphTensors } from '../src/index';
import { mlpGraph, randomMlp } from './helpers';

const BASE: Partial<GMNConfig> = { hidden: 6, globalHidden: 5, layers: 1, graphOutputs: 1, seed: 5 };
const graphs = [mlpGraph(randomMlp([4, 5, 3], 1)), mlpGraph(randomMlp([3, 4, 4, 2], 2))];

/** Edges [start, end) of g as a graph of their own (nodes and graphs shared), as edge chunks see them. */
function edgePart(g: GraphTensors, start: number, end: number): GraphTensors {
  const rows = <T extends tf.Tensor>(t: T): T => tf.slice(t, [start], [end - start]) as T;
  return {
    ...g,
    numEdges: end - start,
    source: rows(g.source),
    target: rows(g.target),
    edgeGraph: rows(g.edgeGraph),
    edgeCategory: rows(g.edgeCategory),
    edgeValueInput: tf.slice(g.edgeValueInput, [start, 0], [end - start, -1]),
  };
}

const add = (a: tf.Tensor2D | null, b: tf.Tensor2D | null): tf.Tensor2D | null => (a === null || b === null ? a ?? b : (tf.add(a, b) as tf.Tensor2D));

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
}

describe('MetaLayer phases', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  test.each([
    ['sum, folded messages', {}],
    ['mean, unfolded messages', { aggregation: 'mean', mlpLayers: 3 }],
    ['max', { aggregation: 'max' }],
    ['no global update', { globalUpdate: false }],
    ['no edge update', { edgeUpdate: false }],
  ] as const)('forward is edgePhase then nodePhase, bit for bit (%s)', (_name, config) => {
    const model = new GMN({ ...BASE, ...config });
    const g = model.graphTensors(graphs);
    tf.tidy(() => {
      const state = model.encode(g);
      const layer = model.layers[0]!;
      const whole = layer.forward(g, state, INFERENCE);
      const { e, pools } = layer.edgePhase(g, state, INFERENCE);
      const { v, u } = layer.nodePhase(g, state, pools, INFERENCE);
      for (const [a, b] of [[whole.v, v], [whole.e, e], [whole.u, u]] as const) {
        expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      }
    });
    g.dispose();
    model.dispose();
  });

  test.each([
    ['sum, folded messages', {}],
    ['mean, unfolded messages, edge LayerNorm', { aggregation: 'mean', mlpLayers: 3, layerNorm: 'all' }],
  ] as const)('edgePhase over parts of the edges, pools added, gives the whole graph (%s)', (_name, config) => {
    const model = new GMN({ ...BASE, ...config });
    const g = model.graphTensors(graphs);
    tf.tidy(() => {
      const state = model.encode(g);
      const layer = model.layers[0]!;
      const whole = layer.forward(g, state, INFERENCE);
      const cut = Math.floor(g.numEdges / 3);
      const parts = [[0, cut], [cut, g.numEdges]].map(([a, b]) =>
        layer.edgePhase(edgePart(g, a!, b!), { ...state, e: tf.slice(state.e, [a!, 0], [b! - a!, -1]) }, INFERENCE),
      );
      const pools: EdgePools = {
        messages: add(parts[0]!.pools.messages, parts[1]!.pools.messages),
        edges: add(parts[0]!.pools.edges, parts[1]!.pools.edges),
      };
      const { v, u } = layer.nodePhase(g, state, pools, INFERENCE);
      // The per-edge outputs do not depend on the cut; the pools are summed in another order.
      expect(Array.from(tf.concat([parts[0]!.e, parts[1]!.e]).dataSync())).toEqual(Array.from(whole.e.dataSync()));
      expect(maxDiff(v, whole.v)).toBeLessThan(1e-5);
      expect(maxDiff(u, whole.u)).toBeLessThan(1e-5);
      // One part's pools alone are not the whole graph's.
      const partial = layer.nodePhase(g, state, parts[1]!.pools, INFERENCE);
      expect(maxDiff(partial.v, whole.v)).toBeGreaterThan(1e-3);
      expect(maxDiff(partial.u, whole.u)).toBeGreaterThan(1e-3);
    });
    g.dispose();
    model.dispose();
  });

  test('aggregateFromPool(segmentPool(x)) is aggregate(x), bit for bit', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([9, 3], 0, 1, 'float32', 4) as tf.Tensor2D;
      const ids = tf.tensor1d([0, 2, 2, 0, 3, 2, 0, 3, 3], 'int32');
      const counts = tf.tensor2d([3, 0, 3, 3], [4, 1]);
      for (const how of ['sum', 'mean', 'max'] as const) {
        const pooled = aggregateFromPool(segmentPool(x, ids, 4, how), counts, how);
        expect(Array.from(pooled.dataSync())).toEqual(Array.from(aggregate(x, ids, 4, how).dataSync()));
      }
    });
  });
});
