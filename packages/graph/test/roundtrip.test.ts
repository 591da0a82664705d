import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countParams, paramInfos } from '@metanet/spec';
import { batchGraphs, edgeValues, fromParameterGraph, toParameterGraph, unbatchEdgeValues } from '../src/index';
import { anySpec } from './arbitraries';
import { randomBitParams, sameBytes } from './helpers';

describe('round trip (property)', () => {
  it('spec + random weights → graph → weights is identical, byte for byte (NaN payloads included)', () => {
    fc.assert(
      fc.property(anySpec, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (spec, seed) => {
        const params = randomBitParams(spec, seed);
        const graph = toParameterGraph(spec, params);
        const back = fromParameterGraph(spec, graph);
        expect(back.length).toBe(params.length);
        back.forEach((p, j) => expect(sameBytes(p, params[j] as Float32Array), paramInfos(spec)[j]?.name).toBe(true));
        // Edge-value vectors (all E edges, or just the P parameter edges) invert the same way.
        const values = edgeValues(graph);
        for (const v of [values, values.slice(0, countParams(spec))]) {
          fromParameterGraph(spec, v).forEach((p, j) => expect(sameBytes(p, params[j] as Float32Array)).toBe(true));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('batching then unbatching the edge values inverts every graph of the batch exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(anySpec, fc.integer({ min: 1, max: 2 ** 31 - 1 })), { minLength: 1, maxLength: 4 }), (items) => {
        const nets = items.map(([spec, seed]) => ({ spec, params: randomBitParams(spec, seed) }));
        const batched = batchGraphs(nets.map((n) => toParameterGraph(n.spec, n.params)));
        const parts = unbatchEdgeValues(batched, edgeValues(batched));
        nets.forEach((n, b) => {
          fromParameterGraph(n.spec, parts[b] as Float32Array).forEach((p, j) => expect(sameBytes(p, n.params[j] as Float32Array)).toBe(true));
        });
      }),
      { numRuns: 40 },
    );
  });

  it('returns copies: editing the recovered weights leaves the graph untouched', () => {
    fc.assert(
      fc.property(anySpec, (spec) => {
        const params = randomBitParams(spec, 3);
        const graph = toParameterGraph(spec, params);
        const before = graph.edgeFeatures.slice();
        for (const p of fromParameterGraph(spec, graph)) p.fill(42);
        expect(sameBytes(graph.edgeFeatures, before)).toBe(true);
      }),
      { numRuns: 20 },
    );
  });
});

describe('params as views', () => {
  it('accepts Float32Array views at any offset of a shared buffer and still inverts bit for bit', () => {
    fc.assert(
      fc.property(anySpec, fc.integer({ min: 0, max: 7 }), (spec, pad) => {
        const params = randomBitParams(spec, 17);
        const total = params.reduce((n, p) => n + p.length + pad, pad);
        const pool = new Float32Array(total);
        let o = pad;
        const views = params.map((p) => {
          const v = pool.subarray(o, o + p.length);
          v.set(p);
          o += p.length + pad;
          return v;
        });
        const back = fromParameterGraph(spec, toParameterGraph(spec, views));
        back.forEach((p, j) => expect(sameBytes(p, params[j] as Float32Array)).toBe(true));
      }),
      { numRuns: 30 },
    );
  });
});
