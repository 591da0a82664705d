import { describe, expect, it } from 'vitest';
import { countParams, paramInfos, validateSpec } from '@metanet/spec';
import { EDGE_FEATURE_DIM, EDGE_TYPES, NODE_FEATURE_DIM, NODE_TYPES, fromParameterGraph, toParameterGraph } from '../src/index';
import { randomBitParams, sameBytes } from './helpers';

const spec = validateSpec({
  input: [4, 4, 2],
  layers: [{ type: 'conv2d', filters: 4, kernel: 3, padding: 1 }, { type: 'groupnorm', groups: 2 }, { type: 'activation', fn: 'relu' }, { type: 'globalavgpool' }, { type: 'dense', units: 3 }],
});

describe('groupnorm in the parameter graph', () => {
  it('adds one γ and one β node at its channels’ depth, with one edge per channel each', () => {
    const g = toParameterGraph(spec, randomBitParams(spec, 3));
    // inputs 2, conv 4 + bias, γ, β, dense 3 + bias
    expect(g.numNodes).toBe(2 + 4 + 1 + 1 + 1 + 3 + 1);
    expect(g.numEdges).toBe(countParams(spec));
    const nodesOf = (type: string): number[] =>
      Array.from({ length: g.numNodes }, (_, n) => n).filter((n) => g.nodeFeatures[n * NODE_FEATURE_DIM + 2] === NODE_TYPES.indexOf(type as never));
    const conv = nodesOf('hidden');
    for (const type of ['gamma', 'beta'] as const) {
      const [node] = nodesOf(type);
      expect(nodesOf(type)).toHaveLength(1);
      expect(g.nodeFeatures[(node as number) * NODE_FEATURE_DIM]).toBe(1); // the depth of the conv's channels
      const targets: number[] = [];
      for (let e = 0; e < g.numEdges; e++) {
        if (g.edgeFeatures[e * EDGE_FEATURE_DIM + 2] === EDGE_TYPES.indexOf(type) && g.edgeIndex[e] === node) targets.push(g.edgeIndex[g.numEdges + e] as number);
      }
      expect(targets).toEqual(conv);
    }
  });

  it('inverts bit for bit, after a flatten too', () => {
    const flat = validateSpec({ input: [3, 3, 2], layers: [{ type: 'conv2d', filters: 2, kernel: 1 }, { type: 'flatten' }, { type: 'groupnorm', groups: 3 }, { type: 'dense', units: 2 }] });
    for (const s of [spec, flat]) {
      const params = randomBitParams(s, 11);
      const back = fromParameterGraph(s, toParameterGraph(s, params));
      back.forEach((p, j) => expect(sameBytes(p, params[j] as Float32Array), paramInfos(s)[j]?.name).toBe(true));
    }
  });
});
