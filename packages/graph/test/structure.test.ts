import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { architecture, paramInfos, type NetSpec } from '@metanet/spec';
import { EDGE_FEATURE_DIM, EDGE_TYPES, NODE_FEATURE_DIM, NODE_TYPES, toParameterGraph, type ParameterGraph } from '../src/index';
import { anySpec } from './arbitraries';
import { COVERAGE_SPECS, seededParams } from './helpers';

const SPECS: Record<string, NetSpec> = {
  ...COVERAGE_SPECS,
  mlp: architecture('mlp:20-8-6-3'),
  homework: architecture('homework-cnn', { inChannels: 3, inputSize: 8 }),
  small: architecture('small-cnn', { width: 4, inputSize: 8 }),
  resnetMini: architecture('resnet-mini', { width: 3, inputSize: 8 }),
};

const nodeType = (g: ParameterGraph, n: number): string => NODE_TYPES[g.nodeFeatures[n * NODE_FEATURE_DIM + 2] as number] as string;

/** Kahn's algorithm: returns the number of nodes that can be ordered (all of them iff acyclic). */
function topoCount(g: ParameterGraph): number {
  const E = g.numEdges;
  const indeg = new Int32Array(g.numNodes);
  const out: number[][] = Array.from({ length: g.numNodes }, () => []);
  for (let e = 0; e < E; e++) {
    (out[g.edgeIndex[e] as number] as number[]).push(g.edgeIndex[E + e] as number);
    const t = g.edgeIndex[E + e] as number;
    indeg[t] = (indeg[t] as number) + 1;
  }
  const queue: number[] = [];
  indeg.forEach((d, n) => d === 0 && queue.push(n));
  let seen = 0;
  while (queue.length) {
    const n = queue.pop() as number;
    seen++;
    for (const m of out[n] as number[]) {
      indeg[m] = (indeg[m] as number) - 1;
      if (indeg[m] === 0) queue.push(m);
    }
  }
  return seen;
}

function reachable(g: ParameterGraph, from: number[], forward: boolean): Set<number> {
  const E = g.numEdges;
  const adj: number[][] = Array.from({ length: g.numNodes }, () => []);
  for (let e = 0; e < E; e++) {
    const [a, b] = forward ? [g.edgeIndex[e], g.edgeIndex[E + e]] : [g.edgeIndex[E + e], g.edgeIndex[e]];
    (adj[a as number] as number[]).push(b as number);
  }
  const seen = new Set(from);
  const stack = [...from];
  while (stack.length) for (const m of adj[stack.pop() as number] as number[]) if (!seen.has(m)) (seen.add(m), stack.push(m));
  return seen;
}

function components(g: ParameterGraph): number {
  const parent = Int32Array.from({ length: g.numNodes }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x] as number] as number;
    return x;
  };
  for (let e = 0; e < g.numEdges; e++) parent[find(g.edgeIndex[e] as number)] = find(g.edgeIndex[g.numEdges + e] as number);
  let roots = 0;
  for (let n = 0; n < g.numNodes; n++) if (find(n) === n) roots++;
  return roots;
}

describe.each(Object.entries(SPECS))('structure of %s', (_, spec) => {
  const params = seededParams(spec, 7);
  const g = toParameterGraph(spec, params);

  it('puts every node on some edge', () => {
    const used = new Uint8Array(g.numNodes);
    for (const n of g.edgeIndex) used[n] = 1;
    expect(used.indexOf(0)).toBe(-1);
  });

  it('is a DAG in which every input reaches an output and every node is fed or is a source', () => {
    expect(topoCount(g)).toBe(g.numNodes);
    const nodes = [...Array(g.numNodes).keys()];
    const inputs = nodes.filter((n) => nodeType(g, n) === 'input');
    const outputs = nodes.filter((n) => nodeType(g, n) === 'output');
    expect(outputs.length).toBeGreaterThan(0);
    const fromInputs = reachable(g, inputs, true);
    for (const o of outputs) expect(fromInputs.has(o)).toBe(true);
    const toOutputs = reachable(g, outputs, false);
    for (const n of nodes) expect(toOutputs.has(n), `node ${n} (${nodeType(g, n)}) reaches no output`).toBe(true);
    // Only parameter holders (bias, γ, β) may be sources besides the inputs.
    for (const n of nodes) {
      if (!fromInputs.has(n)) expect(['bias', 'gamma', 'beta']).toContain(nodeType(g, n));
    }
  });

  it('is weakly connected', () => {
    expect(components(g)).toBe(1);
  });

  it('lays each tensor out in row-major flatten order with its values', () => {
    const E = g.numEdges;
    const infos = paramInfos(spec);
    expect(g.paramEdges.map((r) => r.name)).toEqual(infos.map((i) => i.name));
    let next = 0;
    g.paramEdges.forEach((r, j) => {
      expect(r.start).toBe(next);
      next += r.count;
      const p = params[j] as Float32Array;
      const shape = r.shape;
      const [I, KH, KW] = [shape[1] ?? 1, shape[2] ?? 1, shape[3] ?? 1];
      const src0 = g.edgeIndex[r.start] as number;
      const dst0 = g.edgeIndex[E + r.start] as number;
      const bad: string[] = [];
      for (let k = 0; k < r.count && bad.length < 3; k++) {
        const e = r.start + k;
        const f = e * EDGE_FEATURE_DIM;
        const kw = k % KW;
        const kh = Math.floor(k / KW) % KH;
        const i = Math.floor(k / (KW * KH)) % I;
        const o = Math.floor(k / (KW * KH * I));
        const [src, dst] = shape.length === 1 ? [src0, dst0 + k] : [src0 + i, dst0 + o];
        const [fh, fw] = shape.length === 4 ? [kh, kw] : [-1, -1];
        if (!Object.is(g.edgeFeatures[f], p[k])) bad.push(`${r.name}[${k}] value`);
        if (g.edgeIndex[e] !== src || g.edgeIndex[E + e] !== dst) bad.push(`${r.name}[${k}] endpoints`);
        if (g.edgeFeatures[f + 3] !== fh || g.edgeFeatures[f + 4] !== fw) bad.push(`${r.name}[${k}] kernel position`);
      }
      expect(bad).toEqual([]);
    });
    expect(next).toBe(g.paramEdges.reduce((a, r) => a + r.count, 0));
    // Parameter-free edges come after all parameters, with value 1.
    let notOne = 0;
    for (let e = next; e < E; e++) if (g.edgeFeatures[e * EDGE_FEATURE_DIM] !== 1) notOne++;
    expect(notOne).toBe(0);
  });

  it('gives an edge the layer of its target and ioIndex only to inputs, outputs and spatial nodes', () => {
    let wrongLayer = 0;
    for (let e = 0; e < g.numEdges; e++) {
      const dst = g.edgeIndex[g.numEdges + e] as number;
      if (g.edgeFeatures[e * EDGE_FEATURE_DIM + 1] !== g.nodeFeatures[dst * NODE_FEATURE_DIM]) wrongLayer++;
    }
    expect(wrongLayer).toBe(0);
    for (let n = 0; n < g.numNodes; n++) {
      const io = g.nodeFeatures[n * NODE_FEATURE_DIM + 1] as number;
      if (!['input', 'output', 'spatial'].includes(nodeType(g, n))) expect(io).toBe(-1);
      else expect(io).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('encodings', () => {
  const types = (g: ParameterGraph) => {
    const c: Record<string, number> = {};
    for (let e = 0; e < g.numEdges; e++) {
      const t = EDGE_TYPES[g.edgeFeatures[e * EDGE_FEATURE_DIM + 2] as number] as string;
      c[t] = (c[t] ?? 0) + 1;
    }
    return c;
  };

  it('flattens a conv map into one spatial node per (channel, position), fed from its channel', () => {
    const spec = COVERAGE_SPECS.convFlatten as NetSpec; // conv → [4, 4, 3] → maxpool → [2, 2, 3]
    const g = toParameterGraph(spec, seededParams(spec));
    const E = g.numEdges;
    const spatial = [...Array(g.numNodes).keys()].filter((n) => nodeType(g, n) === 'spatial');
    expect(spatial.length).toBe(12);
    expect(types(g).flatten).toBe(12);
    // torch.flatten order (C, H, W): spatial node j is channel floor(j / 4) at position j % 4.
    const first = spatial[0] as number;
    const convOut = [...Array(g.numNodes).keys()].filter((n) => nodeType(g, n) === 'hidden');
    for (let e = 0; e < E; e++) {
      if (EDGE_TYPES[g.edgeFeatures[e * EDGE_FEATURE_DIM + 2] as number] !== 'flatten') continue;
      const j = (g.edgeIndex[E + e] as number) - first;
      expect(g.edgeIndex[e]).toBe((convOut[0] as number) + Math.floor(j / 4));
      const p = j % 4;
      expect([g.edgeFeatures[e * EDGE_FEATURE_DIM + 3], g.edgeFeatures[e * EDGE_FEATURE_DIM + 4]]).toEqual([Math.floor(p / 2), p % 2]);
      expect(g.nodeFeatures[(first + j) * NODE_FEATURE_DIM + 1]).toBe(p);
    }
  });

  it('gives an MLP on an image one input node per pixel and no flatten edges', () => {
    const spec = COVERAGE_SPECS.pixelMlp as NetSpec;
    const g = toParameterGraph(spec, seededParams(spec));
    expect(types(g).flatten).toBeUndefined();
    expect([...Array(g.numNodes).keys()].filter((n) => nodeType(g, n) === 'input').length).toBe(24);
  });

  it('encodes attention heads as head nodes joined to their query, key and value neurons', () => {
    const spec = COVERAGE_SPECS.attention as NetSpec; // D = 6, 3 heads of 2
    const g = toParameterGraph(spec, seededParams(spec));
    const heads = [...Array(g.numNodes).keys()].filter((n) => nodeType(g, n) === 'head');
    expect(heads.length).toBe(3);
    expect(types(g).head).toBe(18);
    const E = g.numEdges;
    for (const h of heads) {
      let inDeg = 0;
      let outDeg = 0;
      for (let e = 0; e < E; e++) {
        if (g.edgeIndex[E + e] === h) inDeg++;
        if (g.edgeIndex[e] === h) outDeg++;
      }
      expect([inDeg, outDeg]).toEqual([4, 2]); // 2 query + 2 key neurons in, 2 value neurons out
    }
    expect([types(g).attn_q, types(g).attn_k, types(g).attn_v, types(g).attn_o]).toEqual([36, 36, 36, 36]);
  });

  it('routes a 1×1 projection shortcut through its own BN-scaled nodes into the block output', () => {
    const spec = COVERAGE_SPECS.resnet as NetSpec;
    const g = toParameterGraph(spec, seededParams(spec));
    const t = types(g);
    expect(t.residual).toBe(3 + 4 + 4); // identity (3), projection (4), forced conv1x1 (4)
    const down = g.paramEdges.find((r) => r.name === 'layers.3.downsample.0.weight');
    expect(down?.shape).toEqual([4, 3, 1, 1]);
  });
});

describe('structure of random specs (property)', () => {
  it('every node is used, the graph is a connected DAG, and parameter-free edges are exactly the non-parameter ones', () => {
    fc.assert(
      fc.property(anySpec, (spec) => {
        const g = toParameterGraph(spec, seededParams(spec, 5));
        const used = new Uint8Array(g.numNodes);
        for (const n of g.edgeIndex) used[n] = 1;
        expect(used.indexOf(0)).toBe(-1);
        expect(topoCount(g)).toBe(g.numNodes);
        expect(components(g)).toBe(1);
        const P = g.paramEdges.reduce((a, r) => a + r.count, 0);
        const structural = new Set(['residual', 'flatten', 'head']);
        for (let e = 0; e < g.numEdges; e++) {
          const t = EDGE_TYPES[g.edgeFeatures[e * EDGE_FEATURE_DIM + 2] as number] as string;
          if (structural.has(t) !== e >= P) throw new Error(`edge ${e} of type ${t} is on the wrong side of P = ${P}`);
        }
      }),
      { numRuns: 100 },
    );
  });
});
