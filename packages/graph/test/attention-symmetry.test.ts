/**
 * The attention encoding must respect attention's own symmetries: permuting heads, permuting
 * query/key dimensions jointly within a head, and permuting value dimensions within a head
 * (with out_proj's columns) leave the function unchanged, so they must be graph isomorphisms,
 * with head nodes moving with their head. Breaking q/k coupling must not be one.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { paramInfos, permuteAxis, type NetSpec } from '@metanet/spec';
import { EDGE_FEATURE_DIM, toParameterGraph, type ParameterGraph } from '../src/index';
import { planGraph } from '../src/plan';
import { randomBitParams } from './helpers';

const HEADS = 3;
const DH = 2;
const D = HEADS * DH;
const spec: NetSpec = { input: [4, D], layers: [{ type: 'attention', heads: HEADS }, { type: 'flatten' }, { type: 'dense', units: 2 }] };

const perm = (n: number): fc.Arbitrary<number[]> =>
  fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }).map((k) => [...k.keys()].sort((a, b) => (k[a] as number) - (k[b] as number)));

/** Feature index maps (new position → old position) for q/k and for v, from a head permutation and per-head inner ones. */
function indexMaps(heads: number[], qk: number[][], v: number[][]): { qkIndex: Int32Array; vIndex: Int32Array } {
  const qkIndex = new Int32Array(D);
  const vIndex = new Int32Array(D);
  for (let h = 0; h < HEADS; h++) {
    for (let j = 0; j < DH; j++) {
      qkIndex[h * DH + j] = (heads[h] as number) * DH + (qk[h] as number[])[j]!;
      vIndex[h * DH + j] = (heads[h] as number) * DH + (v[h] as number[])[j]!;
    }
  }
  return { qkIndex, vIndex };
}

function permuteAttention(params: Float32Array[], qIndex: Int32Array, kIndex: Int32Array, vIndex: Int32Array): Float32Array[] {
  const infos = paramInfos(spec);
  return params.map((t, j) => {
    const { name, shape } = infos[j]!;
    if (name.includes('q_proj')) return permuteAxis(t, shape, 0, qIndex);
    if (name.includes('k_proj')) return permuteAxis(t, shape, 0, kIndex);
    if (name.includes('v_proj')) return permuteAxis(t, shape, 0, vIndex);
    if (name.endsWith('out_proj.weight')) return permuteAxis(t, shape, 1, vIndex);
    return t;
  });
}

function edgeMultiset(g: ParameterGraph, map: Int32Array): Map<string, number[]> {
  const bits = new Uint32Array(g.edgeFeatures.buffer);
  const out = new Map<string, number[]>();
  for (let e = 0; e < g.numEdges; e++) {
    const f = e * EDGE_FEATURE_DIM;
    const k = `${map[g.edgeIndex[e]!]}>${map[g.edgeIndex[g.numEdges + e]!]}|${Array.from(g.edgeFeatures.subarray(f + 1, f + 5)).join(',')}`;
    out.set(k, [...(out.get(k) ?? []), bits[f]!].sort((a, b) => a - b));
  }
  return out;
}

/** Old node → new node: q, k, v neurons by their index maps, head nodes by the head permutation. */
function nodeMap(heads: number[], qIndex: Int32Array, kIndex: Int32Array, vIndex: Int32Array): Int32Array {
  const plan = planGraph(spec);
  const map = Int32Array.from({ length: plan.numNodes }, (_, n) => n);
  const group = (role: string) => plan.groups.find((g) => g.specLayer === 0 && g.role === role)!;
  const apply = (role: string, index: ArrayLike<number>) => {
    const g = group(role);
    for (let pos = 0; pos < index.length; pos++) map[g.start + index[pos]!] = g.start + pos;
  };
  apply('q', qIndex);
  apply('k', kIndex);
  apply('v', vIndex);
  apply('heads', heads);
  return map;
}

describe('attention symmetries are graph isomorphisms', () => {
  it('head permutations with joint q/k and separate v permutations inside heads (property)', () => {
    fc.assert(
      fc.property(perm(HEADS), fc.array(perm(DH), { minLength: HEADS, maxLength: HEADS }), fc.array(perm(DH), { minLength: HEADS, maxLength: HEADS }), fc.integer({ min: 1, max: 1e6 }), (heads, qk, v, seed) => {
        const { qkIndex, vIndex } = indexMaps(heads, qk, v);
        const params = randomBitParams(spec, seed);
        const g = toParameterGraph(spec, params);
        const h = toParameterGraph(spec, permuteAttention(params, qkIndex, qkIndex, vIndex));
        const identity = Int32Array.from({ length: h.numNodes }, (_, n) => n);
        expect(edgeMultiset(g, nodeMap(heads, qkIndex, qkIndex, vIndex))).toEqual(edgeMultiset(h, identity));
      }),
      { numRuns: 40 },
    );
  });

  it('permuting q without k (changes the function) is not an isomorphism under that map', () => {
    const identityHeads = [0, 1, 2];
    const { qkIndex, vIndex } = indexMaps(identityHeads, [[1, 0], [0, 1], [0, 1]], [[0, 1], [0, 1], [0, 1]]);
    const plain = Int32Array.from({ length: D }, (_, i) => i);
    const params = randomBitParams(spec, 5);
    const g = toParameterGraph(spec, params);
    const h = toParameterGraph(spec, permuteAttention(params, qkIndex, plain, vIndex));
    const identity = Int32Array.from({ length: h.numNodes }, (_, n) => n);
    expect(edgeMultiset(g, nodeMap(identityHeads, qkIndex, qkIndex, vIndex))).not.toEqual(edgeMultiset(h, identity));
  });
});
