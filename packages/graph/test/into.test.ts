import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { NetSpec } from '@metanet/spec';
import { toParameterGraph, type ParameterGraph } from '../src/index';
import { anySpec } from './arbitraries';
import { randomBitParams, sameBytes } from './helpers';

const sameGraph = (a: ParameterGraph, b: ParameterGraph): boolean =>
  a.numNodes === b.numNodes &&
  a.numEdges === b.numEdges &&
  sameBytes(a.nodeFeatures, b.nodeFeatures) &&
  sameBytes(a.edgeFeatures, b.edgeFeatures) &&
  sameBytes(new Float32Array(a.edgeIndex.buffer), new Float32Array(b.edgeIndex.buffer)) &&
  JSON.stringify(a.paramEdges) === JSON.stringify(b.paramEdges);

describe('toParameterGraph { into }', () => {
  it('rebuilding into another graph gives exactly the fresh graph, reusing arrays whose size fits', () => {
    fc.assert(
      fc.property(anySpec, anySpec, fc.integer({ min: 1, max: 1e6 }), (a, b, seed) => {
        const old = toParameterGraph(a, randomBitParams(a, seed));
        const oldArrays = [old.nodeFeatures, old.edgeIndex, old.edgeFeatures];
        const params = randomBitParams(b, seed + 1);
        const fresh = toParameterGraph(b, params);
        const reused = toParameterGraph(b, params, { into: old });
        expect(sameGraph(reused, fresh)).toBe(true);
        [reused.nodeFeatures, reused.edgeIndex, reused.edgeFeatures].forEach((arr, i) => {
          expect(arr === oldArrays[i]).toBe(arr.length === oldArrays[i]?.length);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('reuses every array for a second net of the same spec (a zoo)', () => {
    const spec: NetSpec = { input: [4, 4, 2], layers: [{ type: 'conv2d', filters: 3, kernel: 3 }, { type: 'flatten' }, { type: 'dense', units: 2 }] };
    const first = toParameterGraph(spec, randomBitParams(spec, 1));
    const second = toParameterGraph(spec, randomBitParams(spec, 2), { into: first });
    expect(second.edgeFeatures).toBe(first.edgeFeatures);
    expect(second.edgeIndex).toBe(first.edgeIndex);
    expect(sameGraph(second, toParameterGraph(spec, randomBitParams(spec, 2)))).toBe(true);
  });
});
