/**
 * A slow reference GMN written with explicit loops over edges, nodes and graphs, on
 * plain arrays. It shares nothing with the implementation except the weight names.
 */
import type { GMN } from '../src/index';

type Mat = number[][];
type Vec = number[];

export interface RefGraph {
  src: number[];
  dst: number[];
  nodeGraph: number[];
  edgeGraph: number[];
  numGraphs: number;
}

export interface RefConfig {
  aggregation: 'sum' | 'mean' | 'max';
  residual: boolean;
  layerNorm: 'none' | 'node-global' | 'all';
  activation: 'relu' | 'leaky_relu' | 'linear';
  /** Messages over incoming edges, outgoing edges, or both (aggregates added). Default 'forward'. */
  direction?: 'forward' | 'backward' | 'both';
}

export class RefWeights {
  constructor(private readonly w: Map<string, number[] | number[][]>) {}
  static from(model: GMN): RefWeights {
    const m = new Map<string, number[] | number[][]>();
    for (const [name, v] of model.getWeights()) m.set(name, v.arraySync() as number[] | number[][]);
    return new RefWeights(m);
  }
  mat(name: string): Mat {
    const x = this.w.get(name);
    if (x === undefined) throw new Error(`reference: missing ${name}`);
    return x as Mat;
  }
  vec(name: string): Vec {
    return this.w.get(name) as Vec;
  }
  has(name: string): boolean {
    return this.w.has(name);
  }
}

function act(x: number, a: RefConfig['activation']): number {
  if (a === 'relu') return x > 0 ? x : 0;
  if (a === 'leaky_relu') return x > 0 ? x : 0.01 * x;
  return x;
}

/** y = x·W + b, W as (in × out). */
function affine(x: Vec, w: Mat, b: Vec): Vec {
  const out: Vec = [];
  for (let j = 0; j < b.length; j++) {
    let s = b[j]!;
    for (let i = 0; i < x.length; i++) s += x[i]! * w[i]![j]!;
    out.push(s);
  }
  return out;
}

/** A 2-layer update MLP over a concatenation whose first-layer blocks are named `parts`. */
function mlp(W: RefWeights, name: string, parts: string[], x: Vec, c: RefConfig): Vec {
  const w1: Mat = parts.flatMap((p) => W.mat(`${name}.lin1.${p}`));
  const h = affine(x, w1, W.vec(`${name}.lin1.bias`)).map((z) => act(z, c.activation));
  return affine(h, W.mat(`${name}.lin2.weight`), W.vec(`${name}.lin2.bias`));
}

function layerNorm(x: Vec, g: Vec, b: Vec): Vec {
  const mean = x.reduce((a, z) => a + z, 0) / x.length;
  const v = x.reduce((a, z) => a + (z - mean) ** 2, 0) / x.length;
  return x.map((z, i) => ((z - mean) / Math.sqrt(v + 1e-5)) * g[i]! + b[i]!);
}

function finish(W: RefWeights, name: string, prev: Vec, out: Vec, c: RefConfig, kind: 'edge' | 'node'): Vec {
  const x = c.residual && prev.length === out.length ? prev.map((p, i) => p + out[i]!) : out;
  const norm = kind === 'edge' ? c.layerNorm === 'all' : c.layerNorm !== 'none';
  return norm ? layerNorm(x, W.vec(`${name}.norm.weight`), W.vec(`${name}.norm.bias`)) : x;
}

/** Pools rows into groups; empty groups give zeros. */
export function pool(rows: Mat, groupOf: number[], groups: number, width: number, how: RefConfig['aggregation']): Mat {
  const out: Mat = [];
  for (let g = 0; g < groups; g++) {
    const members = rows.filter((_, i) => groupOf[i] === g);
    if (members.length === 0) {
      out.push(new Array<number>(width).fill(0));
      continue;
    }
    const r: Vec = [];
    for (let c = 0; c < width; c++) {
      const col = members.map((m) => m[c]!);
      r.push(how === 'max' ? Math.max(...col) : col.reduce((a, z) => a + z, 0) / (how === 'mean' ? col.length : 1));
    }
    out.push(r);
  }
  return out;
}

const EDGE_PARTS = ['target', 'source', 'edge', 'global'];

export function refEdgeModel(W: RefWeights, name: string, g: RefGraph, v: Mat, e: Mat, u: Mat, c: RefConfig): Mat {
  return e.map((ek, k) => {
    const x = [...v[g.dst[k]!]!, ...v[g.src[k]!]!, ...ek, ...u[g.edgeGraph[k]!]!];
    return finish(W, name, ek, mlp(W, name, EDGE_PARTS, x, c), c, 'edge');
  });
}

export function refNodeModel(W: RefWeights, name: string, g: RefGraph, v: Mat, e: Mat, u: Mat, c: RefConfig): Mat {
  // Node i's messages: over edges j → i (pooled at the target) from `message`, over edges
  // i → j (pooled at the source) from `messageOut`; both read [v_target, v_source, e, u].
  const direction = c.direction ?? 'forward';
  const sides: [string, number[]][] = [
    ...(direction !== 'backward' ? [['message', g.dst] as [string, number[]]] : []),
    ...(direction !== 'forward' ? [['messageOut', g.src] as [string, number[]]] : []),
  ];
  const aggs = sides.map(([mlpName, at]) => {
    const messages = e.map((ek, k) =>
      mlp(W, `${name}.${mlpName}`, EDGE_PARTS, [...v[g.dst[k]!]!, ...v[g.src[k]!]!, ...ek, ...u[g.edgeGraph[k]!]!], c),
    );
    return pool(messages, at, v.length, W.vec(`${name}.${mlpName}.lin2.bias`).length, c.aggregation);
  });
  const agg = aggs[0]!.map((row, n) => row.map((x, j) => aggs.reduce((s, a, i) => (i === 0 ? s : s + a[n]![j]!), x)));
  return v.map((vn, n) => {
    const out = mlp(W, `${name}.update`, ['node', 'aggregate', 'global'], [...vn, ...agg[n]!, ...u[g.nodeGraph[n]!]!], c);
    return finish(W, `${name}.update`, vn, out, c, 'node');
  });
}

export function refGlobalModel(W: RefWeights, name: string, g: RefGraph, v: Mat, e: Mat, u: Mat, c: RefConfig): Mat {
  const pv = pool(v, g.nodeGraph, g.numGraphs, v[0]!.length, c.aggregation);
  const pe = pool(e, g.edgeGraph, g.numGraphs, e[0]?.length ?? v[0]!.length, c.aggregation);
  return u.map((ug, gi) => finish(W, name, ug, mlp(W, name, ['nodes', 'edges', 'global'], [...pv[gi]!, ...pe[gi]!, ...ug], c), c, 'node'));
}

export interface RefOutput {
  graph: Mat | null;
  edge: Mat | null;
}

/** The whole GMN: encoder (on the fixed features), layers, heads. */
export function refGMN(W: RefWeights, g: RefGraph, nodeInput: Mat, edgeInput: Mat, layers: number, c: RefConfig): RefOutput {
  let v = nodeInput.map((x) => affine(x, W.mat('encoder.node.weight'), W.vec('encoder.node.bias')));
  let e = edgeInput.map((x) => affine(x, W.mat('encoder.edge.weight'), W.vec('encoder.edge.bias')));
  let u = Array.from({ length: g.numGraphs }, () => [...W.mat('encoder.global')[0]!]);
  for (let l = 0; l < layers; l++) {
    e = refEdgeModel(W, `layers.${l}.edge`, g, v, e, u, c);
    v = refNodeModel(W, `layers.${l}.node`, g, v, e, u, c);
    u = refGlobalModel(W, `layers.${l}.global`, g, v, e, u, c);
  }
  let graph: Mat | null = null;
  if (W.has('head.graph.phi_node.weight')) {
    const phiV = v.map((x) => affine(x, W.mat('head.graph.phi_node.weight'), W.vec('head.graph.phi_node.bias')).map((z) => act(z, c.activation)));
    const phiE = e.map((x) => affine(x, W.mat('head.graph.phi_edge.weight'), W.vec('head.graph.phi_edge.bias')).map((z) => act(z, c.activation)));
    const h = phiV[0]!.length;
    const pv = pool(phiV, g.nodeGraph, g.numGraphs, h, c.aggregation);
    const pe = pool(phiE, g.edgeGraph, g.numGraphs, h, c.aggregation);
    graph = u.map((ug, gi) => mlp(W, 'head.graph.rho', ['nodes', 'edges', 'global'], [...pv[gi]!, ...pe[gi]!, ...ug], c));
  }
  let edge: Mat | null = null;
  if (W.has('head.edge.lin1.bias')) {
    edge = e.map((ek, k) => mlp(W, 'head.edge', EDGE_PARTS, [...v[g.dst[k]!]!, ...v[g.src[k]!]!, ...ek, ...u[g.edgeGraph[k]!]!], c));
  }
  return { graph, edge };
}
