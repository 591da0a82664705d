/** Counts of a parameter graph by node type, edge type and layer. */
import { EDGE_FEATURE_DIM, EDGE_TYPES, NODE_FEATURE_DIM, NODE_TYPES, type EdgeType, type NodeType, type ParameterGraph } from './types';

/** Counts of one layer of a parameter graph. */
export interface LayerStats {
  /** The `layer` feature (depth: inputs are 0). */
  layer: number;
  nodes: number;
  /** Edges whose target is in this layer. */
  edges: number;
  /** Of those, parameter edges. */
  params: number;
}

/** Counts of a parameter graph, as `graphStats` returns them. */
export interface GraphStats {
  numNodes: number;
  numEdges: number;
  /** Parameter edges = trainable parameters. */
  numParams: number;
  /** Parameter-free edges (residual, flatten, head). */
  numStructuralEdges: number;
  /** Every type of the vocabulary, zeros included, so the shape never changes. */
  nodesByType: Record<NodeType, number>;
  edgesByType: Record<EdgeType, number>;
  /** Ascending by layer. */
  layers: LayerStats[];
}

/** Counts of a parameter graph: nodes and edges by type and by layer. */
export function graphStats(graph: ParameterGraph): GraphStats {
  const nodesByType = Object.fromEntries(NODE_TYPES.map((t) => [t, 0])) as Record<NodeType, number>;
  const edgesByType = Object.fromEntries(EDGE_TYPES.map((t) => [t, 0])) as Record<EdgeType, number>;
  const nodeCounts = new Float64Array(NODE_TYPES.length);
  const edgeCounts = new Float64Array(EDGE_TYPES.length);
  const layers = new Map<number, LayerStats>();
  const at = (layer: number): LayerStats => {
    let s = layers.get(layer);
    if (!s) layers.set(layer, (s = { layer, nodes: 0, edges: 0, params: 0 }));
    return s;
  };
  for (let n = 0, o = 0; n < graph.numNodes; n++, o += NODE_FEATURE_DIM) {
    at(graph.nodeFeatures[o] as number).nodes++;
    const t = graph.nodeFeatures[o + 2] as number;
    nodeCounts[t] = (nodeCounts[t] as number) + 1;
  }
  const isParam = new Uint8Array(graph.numEdges);
  let numParams = 0;
  for (const r of graph.paramEdges) {
    isParam.fill(1, r.start, r.start + r.count);
    numParams += r.count;
  }
  // Per-layer counting over runs of equal layer keeps the Map lookups off the per-edge path.
  let runLayer = NaN;
  let run: LayerStats | undefined;
  for (let e = 0, f = 0; e < graph.numEdges; e++, f += EDGE_FEATURE_DIM) {
    const layer = graph.edgeFeatures[f + 1] as number;
    if (layer !== runLayer || !run) {
      runLayer = layer;
      run = at(layer);
    }
    run.edges++;
    run.params += isParam[e] as number;
    const t = graph.edgeFeatures[f + 2] as number;
    edgeCounts[t] = (edgeCounts[t] as number) + 1;
  }
  NODE_TYPES.forEach((t, i) => (nodesByType[t] = nodeCounts[i] as number));
  EDGE_TYPES.forEach((t, i) => (edgesByType[t] = edgeCounts[i] as number));
  return {
    numNodes: graph.numNodes,
    numEdges: graph.numEdges,
    numParams,
    numStructuralEdges: graph.numEdges - numParams,
    nodesByType,
    edgesByType,
    layers: [...layers.values()].sort((a, b) => a.layer - b.layer),
  };
}
