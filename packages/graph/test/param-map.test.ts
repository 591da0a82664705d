import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { paramInfos } from '@metanet/spec';
import { EDGE_FEATURE_DIM, edgeOfParam, ParamIndexError, paramOfEdge, toParameterGraph } from '../src/index';
import { anySpec } from './arbitraries';
import { seededParams } from './helpers';

describe('edgeOfParam / paramOfEdge', () => {
  it('are inverse, and the edge carries that element (property)', () => {
    fc.assert(
      fc.property(anySpec, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (spec, u) => {
        const params = seededParams(spec, 2);
        const g = toParameterGraph(spec, params);
        const infos = paramInfos(spec);
        const P = params.reduce((n, p) => n + p.length, 0);
        const e = Math.floor(u * P);
        const at = paramOfEdge(g, e);
        expect(at).not.toBeNull();
        const { tensor, name, index } = at as NonNullable<typeof at>;
        expect(name).toBe(infos[tensor]?.name);
        expect(g.edgeFeatures[e * EDGE_FEATURE_DIM]).toBe(params[tensor]?.[index]);
        expect(edgeOfParam(g, name, index)).toBe(e);
        expect(edgeOfParam(g, tensor, index)).toBe(e);
        // Parameter-free edges carry no parameter.
        for (let s = P; s < g.numEdges; s++) expect(paramOfEdge(g, s)).toBeNull();
      }),
      { numRuns: 60 },
    );
  });

  it('reject unknown tensors and out-of-range indices', () => {
    const spec = { input: [3], layers: [{ type: 'dense' as const, units: 2 }] };
    const g = toParameterGraph(spec, seededParams(spec));
    expect(() => edgeOfParam(g, 'layers.9.weight', 0)).toThrow(ParamIndexError);
    expect(() => edgeOfParam(g, 0, 6)).toThrow(/index 6 is outside layers\.0\.weight, which has 6 elements/);
    expect(() => paramOfEdge(g, g.numEdges)).toThrow(ParamIndexError);
  });
});
