/**
 * graphology export for inspection and the docs' graph explorer: one graphology node per graph
 * node (key = its id) and one edge per graph edge (key = its id), with readable attributes.
 * Meant for small and medium nets: graphology keeps a JS object per edge (~hundreds of bytes),
 * so a ResNet-18 does not belong here; use the typed arrays.
 */
import { MultiDirectedGraph } from 'graphology';
import type { NetSpec } from '@metanet/spec';
import { GraphMismatchError, InvalidGraphologyError } from './errors';
import { planGraph } from './plan';
import { EDGE_FEATURE_DIM, EDGE_TYPES, NODE_FEATURE_DIM, NODE_TYPES, type EdgeType, type NodeType, type ParamEdgeRange, type ParameterGraph } from './types';

/** Attributes of a node in the graphology export. */
export interface GraphologyNodeAttributes {
  layer: number;
  ioIndex: number;
  type: NodeType;
  /** A multi-head net's output node: the position of its head in `spec.heads` (see `ParameterGraph.nodeHeads`). */
  head?: number;
  /** With `{ spec }`: e.g. 'input', 'layers.0 conv2d out', 'layers.4 residual bn1.gamma'. */
  label?: string;
}

/** Attributes of an edge in the graphology export. */
export interface GraphologyEdgeAttributes {
  value: number;
  layer: number;
  type: EdgeType;
  kh: number;
  kw: number;
  /** Parameter tensor name and flat (row-major) index inside it; absent on parameter-free edges. */
  param?: string;
  paramIndex?: number;
}

/** Attributes of the graph in the graphology export: where each parameter tensor lives among the edges. */
export interface GraphologyGraphAttributes {
  paramEdges: ParamEdgeRange[];
  name?: string;
}

/** A parameter graph as a graphology MultiDirectedGraph (conv kernels are parallel edges). */
export type ParameterGraphology = MultiDirectedGraph<GraphologyNodeAttributes, GraphologyEdgeAttributes, GraphologyGraphAttributes>;

/** Options of `toGraphology`. */
export interface ToGraphologyOptions {
  /** The spec the graph was built from: adds node labels naming the spec layer and role. */
  spec?: NetSpec;
}

/** The graph as a graphology MultiDirectedGraph (conv kernels are parallel edges). */
export function toGraphology(graph: ParameterGraph, options: ToGraphologyOptions = {}): ParameterGraphology {
  const g: ParameterGraphology = new MultiDirectedGraph();
  const paramEdges = graph.paramEdges.map((r) => ({ ...r, shape: [...r.shape] }));
  g.replaceAttributes(options.spec?.name ? { paramEdges, name: options.spec.name } : { paramEdges });
  const labels = options.spec ? nodeLabels(options.spec, graph.numNodes) : undefined;
  const nf = graph.nodeFeatures;
  for (let n = 0; n < graph.numNodes; n++) {
    const o = n * NODE_FEATURE_DIM;
    const attrs: GraphologyNodeAttributes = { layer: nf[o] as number, ioIndex: nf[o + 1] as number, type: NODE_TYPES[nf[o + 2] as number] as NodeType };
    if (labels) attrs.label = labels[n] as string;
    const head = graph.nodeHeads?.[n] ?? -1;
    if (head >= 0) attrs.head = head;
    g.addNode(String(n), attrs);
  }
  const E = graph.numEdges;
  const ef = graph.edgeFeatures;
  const addRange = (from: number, to: number, range?: ParamEdgeRange): void => {
    for (let e = from; e < to; e++) {
      const f = e * EDGE_FEATURE_DIM;
      const attrs: GraphologyEdgeAttributes = {
        value: ef[f] as number,
        layer: ef[f + 1] as number,
        type: EDGE_TYPES[ef[f + 2] as number] as EdgeType,
        kh: ef[f + 3] as number,
        kw: ef[f + 4] as number,
      };
      if (range) {
        attrs.param = range.name;
        attrs.paramIndex = e - range.start;
      }
      g.addDirectedEdgeWithKey(String(e), String(graph.edgeIndex[e]), String(graph.edgeIndex[E + e]), attrs);
    }
  };
  let next = 0;
  for (const r of graph.paramEdges) {
    addRange(next, r.start);
    addRange(r.start, r.start + r.count, r);
    next = r.start + r.count;
  }
  addRange(next, E);
  return g;
}

function nodeLabels(spec: NetSpec, numNodes: number): string[] {
  const plan = planGraph(spec);
  if (plan.numNodes !== numNodes) {
    throw new GraphMismatchError(`spec gives ${plan.numNodes} nodes but the graph has ${numNodes}; pass the spec the graph was built from`);
  }
  const labels: string[] = new Array<string>(numNodes);
  for (const grp of plan.groups) {
    const layer = grp.specLayer >= 0 ? spec.layers[grp.specLayer] : undefined;
    const base = layer ? `layers.${grp.specLayer} ${layer.type} ${grp.role}` : 'input';
    for (let j = 0; j < grp.count; j++) labels[grp.start + j] = base;
  }
  return labels;
}

function idOf(key: string, limit: number, what: string): number {
  const id = Number(key);
  if (!Number.isInteger(id) || id < 0 || id >= limit || String(id) !== key) {
    throw new InvalidGraphologyError(`${what} key ${JSON.stringify(key)} is not an id in [0, ${limit}); export graphs with toGraphology`);
  }
  return id;
}

function num(v: unknown, what: string): number {
  if (typeof v !== 'number') throw new InvalidGraphologyError(`${what} must be a number, got ${typeof v}; export graphs with toGraphology`);
  return v;
}

function vocab<T extends string>(list: readonly T[], v: unknown, what: string): number {
  const i = list.indexOf(v as T);
  if (i < 0) throw new InvalidGraphologyError(`${what} ${JSON.stringify(v)} is not one of ${list.join(', ')}; export graphs with toGraphology`);
  return i;
}

/** Inverts toGraphology: ids come from the keys, features from the attributes. */
export function fromGraphology(g: ParameterGraphology): ParameterGraph {
  const N = g.order;
  const E = g.size;
  const nodeFeatures = new Float32Array(N * NODE_FEATURE_DIM);
  const edgeFeatures = new Float32Array(E * EDGE_FEATURE_DIM);
  const edgeIndex = new Int32Array(2 * E);
  const seenNodes = new Uint8Array(N);
  g.forEachNode((key, a) => {
    const n = idOf(key, N, 'node');
    seenNodes[n] = 1;
    const o = n * NODE_FEATURE_DIM;
    nodeFeatures[o] = num(a.layer, `node ${key} layer`);
    nodeFeatures[o + 1] = num(a.ioIndex, `node ${key} ioIndex`);
    nodeFeatures[o + 2] = vocab(NODE_TYPES, a.type, `node ${key} type`);
  });
  const seenEdges = new Uint8Array(E);
  g.forEachEdge((key, a, source, target) => {
    const e = idOf(key, E, 'edge');
    if (seenEdges[e]) throw new InvalidGraphologyError(`edge key ${key} appears twice; export graphs with toGraphology`);
    seenEdges[e] = 1;
    edgeIndex[e] = idOf(source, N, 'node');
    edgeIndex[E + e] = idOf(target, N, 'node');
    const f = e * EDGE_FEATURE_DIM;
    edgeFeatures[f] = num(a.value, `edge ${key} value`);
    edgeFeatures[f + 1] = num(a.layer, `edge ${key} layer`);
    edgeFeatures[f + 2] = vocab(EDGE_TYPES, a.type, `edge ${key} type`);
    edgeFeatures[f + 3] = num(a.kh, `edge ${key} kh`);
    edgeFeatures[f + 4] = num(a.kw, `edge ${key} kw`);
  });
  if (seenNodes.includes(0)) throw new InvalidGraphologyError(`node ids are not 0..${N - 1}; export graphs with toGraphology`);
  const stored = g.getAttribute('paramEdges');
  const paramEdges = Array.isArray(stored) ? stored.map((r) => ({ ...r, shape: [...r.shape] })) : paramEdgesFromEdges(g, E);
  return { numNodes: N, numEdges: E, nodeFeatures, edgeIndex, edgeFeatures, paramEdges };
}

/** Rebuilds the tensor ranges from per-edge `param` attributes (shapes unknown: flat [count]). */
function paramEdgesFromEdges(g: ParameterGraphology, E: number): ParamEdgeRange[] {
  const names: (string | undefined)[] = new Array<string | undefined>(E);
  g.forEachEdge((key, a) => {
    names[Number(key)] = a.param;
  });
  const out: ParamEdgeRange[] = [];
  for (let e = 0; e < E; e++) {
    const name = names[e];
    if (name === undefined) continue;
    const r = out[out.length - 1];
    if (r && r.name === name && r.start + r.count === e) r.count++;
    else out.push({ name, shape: [], start: e, count: 1 });
  }
  for (const r of out) r.shape = [r.count];
  return out;
}
