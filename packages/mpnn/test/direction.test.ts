/**
 * Message direction: with forward messages only, a change at an output node cannot reach the
 * first layer's edges (a parameter graph is a DAG from inputs to outputs) unless through the
 * global update; backward messages carry it there in depth-many layers.
 */
import { NODE_TYPES, toParameterGraph, type ParameterGraph } from '@metanet/graph';
import { initParamArrays } from '@metanet/nets';
import { architecture, type NetSpec } from '@metanet/spec';
import { initBackend, tf } from '@metanet/tensor';
import { beforeAll, describe, expect, test } from 'vitest';
import { DIRECTIONS, GMN, InvalidConfigError, type Direction } from '../src/index';

/** Nets and their depth (weight layers between the input and the output nodes). */
const NETS: { name: string; spec: NetSpec; depth: number }[] = [
  { name: 'MLP 6-5-4-3', spec: architecture('mlp:6-5-4-3'), depth: 3 },
  { name: 'CNN (small-cnn)', spec: architecture('small-cnn', { width: 4, inputSize: 8, classes: 3 }), depth: 4 },
];

/** The graph with output node `k`'s I/O index replaced: a stand-in for a request flag on that class. */
function flagOutput(g: ParameterGraph, k: number): ParameterGraph {
  const out = NODE_TYPES.indexOf('output');
  const nodeFeatures = g.nodeFeatures.slice();
  let seen = 0;
  for (let n = 0; n < g.numNodes; n++) {
    if (nodeFeatures[3 * n + 2] !== out) continue;
    if (seen++ === k) {
      nodeFeatures[3 * n + 1] = 40;
      return { ...g, nodeFeatures };
    }
  }
  throw new Error(`no output node ${k}`);
}

function edgeOutputs(model: GMN, g: ParameterGraph): Float32Array {
  const gt = model.graphTensors(g);
  const y = tf.tidy(() => model.apply(gt).edge!.dataSync() as Float32Array);
  gt.dispose();
  return y;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('message direction', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  for (const { name, spec, depth } of NETS) {
    test(`${name}: a flag on one output node reaches the first layer's edges with 'both' or 'backward', not with 'forward'`, () => {
      const g = toParameterGraph(spec, initParamArrays(spec, { seed: 1 }));
      const flagged = flagOutput(g, 1);
      const first = g.paramEdges[0]!;
      const firstLayer = (y: Float32Array) => y.subarray(first.start, first.start + first.count);
      const change: Record<Direction, number> = { forward: 0, backward: 0, both: 0 };
      for (const direction of DIRECTIONS) {
        // No global update: the pooled global vector would carry the flag everywhere.
        const model = new GMN({ hidden: 8, layers: depth, graphOutputs: 0, edgeOutputs: 1, edgeHeadZeroInit: false, globalUpdate: false, direction, seed: 3 });
        const a = firstLayer(edgeOutputs(model, g));
        const b = firstLayer(edgeOutputs(model, flagged));
        change[direction] = maxDiff(a, b) / Math.max(1e-6, ...Array.from(a, Math.abs));
        model.dispose();
      }
      // Forward only: not a bit moves. Otherwise the change is far above float32 rounding
      // (2^-23 ≈ 1.2e-7 relative); node LayerNorm and sums over hundreds of conv edges keep
      // it small on the CNN (6e-4 measured at seed 3), which is what training then amplifies.
      expect(change.forward).toBe(0);
      expect(change.both).toBeGreaterThan(1e-5);
      expect(change.backward).toBeGreaterThan(1e-5);
    });
  }

  test('two layers short of the depth, the flag does not reach the first layer yet (the edge head reads one more hop)', () => {
    const { spec, depth } = NETS[0]!;
    const g = toParameterGraph(spec, initParamArrays(spec, { seed: 2 }));
    const first = g.paramEdges[0]!;
    const model = new GMN({ hidden: 8, layers: depth - 2, graphOutputs: 0, edgeOutputs: 1, edgeHeadZeroInit: false, globalUpdate: false, direction: 'both', seed: 4 });
    const a = edgeOutputs(model, g).subarray(first.start, first.start + first.count);
    const b = edgeOutputs(model, flagOutput(g, 0)).subarray(first.start, first.start + first.count);
    expect(maxDiff(a, b)).toBe(0);
    model.dispose();
  });

  test("'both' adds one message MLP per layer, named messageOut; an unknown direction is refused", () => {
    const names = (direction: Direction) => [...GMN.parameterShapes({ layers: 1, direction }).keys()].filter((n) => n.includes('.node.message'));
    expect(names('forward').every((n) => n.includes('.node.message.'))).toBe(true);
    expect(names('backward').every((n) => n.includes('.node.messageOut.'))).toBe(true);
    expect(names('both').length).toBe(names('forward').length + names('backward').length);
    expect(() => new GMN({ direction: 'sideways' as Direction })).toThrow(InvalidConfigError);
    expect(() => new GMN({ direction: 'sideways' as Direction })).toThrow(/direction=sideways; use one of forward, backward, both/);
  });
});
