/**
 * Batching for GNNs: several graphs become one disconnected graph, with node ids shifted by
 * the node offsets, and per-node / per-edge graph ids for readouts (PyG's `batch` vector).
 */
import { BatchError } from './errors';
import { EDGE_FEATURE_DIM, NODE_FEATURE_DIM, type BatchedParameterGraph, type ParamEdgeRange, type ParameterGraph } from './types';

/**
 * Concatenates graphs. `paramEdges` lists every graph's ranges in order, shifted to batch edge
 * ids (names repeat across graphs: use `edgeOffsets` to tell the graphs apart).
 */
export function batchGraphs(graphs: readonly ParameterGraph[]): BatchedParameterGraph {
  if (graphs.length === 0) throw new BatchError('batchGraphs got no graphs; pass at least one ParameterGraph');
  const B = graphs.length;
  const nodeOffsets = new Int32Array(B + 1);
  const edgeOffsets = new Int32Array(B + 1);
  graphs.forEach((g, b) => {
    nodeOffsets[b + 1] = (nodeOffsets[b] as number) + g.numNodes;
    edgeOffsets[b + 1] = (edgeOffsets[b] as number) + g.numEdges;
  });
  const N = nodeOffsets[B] as number;
  const E = edgeOffsets[B] as number;
  const nodeFeatures = new Float32Array(N * NODE_FEATURE_DIM);
  const edgeFeatures = new Float32Array(E * EDGE_FEATURE_DIM);
  const edgeIndex = new Int32Array(2 * E);
  const nodeGraph = new Int32Array(N);
  const edgeGraph = new Int32Array(E);
  const paramEdges: ParamEdgeRange[] = [];
  // Kept when any graph has heads; single-head graphs of the batch get −1 throughout.
  const nodeHeads = graphs.some((g) => g.nodeHeads) ? new Int32Array(N).fill(-1) : undefined;
  graphs.forEach((g, b) => {
    const n0 = nodeOffsets[b] as number;
    const e0 = edgeOffsets[b] as number;
    const Eg = g.numEdges;
    nodeFeatures.set(g.nodeFeatures, n0 * NODE_FEATURE_DIM);
    // set() copies bytes, so edge values stay bit-exact through a batch.
    edgeFeatures.set(g.edgeFeatures, e0 * EDGE_FEATURE_DIM);
    for (let e = 0; e < Eg; e++) {
      edgeIndex[e0 + e] = (g.edgeIndex[e] as number) + n0;
      edgeIndex[E + e0 + e] = (g.edgeIndex[Eg + e] as number) + n0;
    }
    nodeGraph.fill(b, n0, n0 + g.numNodes);
    if (nodeHeads && g.nodeHeads) nodeHeads.set(g.nodeHeads, n0);
    edgeGraph.fill(b, e0, e0 + Eg);
    for (const r of g.paramEdges) paramEdges.push({ name: r.name, shape: [...r.shape], start: r.start + e0, count: r.count });
  });
  const batched = { numGraphs: B, numNodes: N, numEdges: E, nodeFeatures, edgeIndex, edgeFeatures, paramEdges, nodeGraph, edgeGraph, nodeOffsets, edgeOffsets };
  return nodeHeads ? { ...batched, nodeHeads } : batched;
}

/**
 * Splits per-edge values of a batch back per graph: `values` has E·k entries (k values per
 * edge, row-major, e.g. an edge-level GMN output). Returns views into `values`, one per graph;
 * `.slice()` them to keep them past a reuse of the buffer.
 */
export function unbatchEdgeValues(batched: BatchedParameterGraph, values: Float32Array): Float32Array[] {
  const E = batched.numEdges;
  // A batch of edgeless graphs (inputs only) takes an empty vector; otherwise k ≥ 1 values per edge.
  const ok = E === 0 ? values.length === 0 : values.length > 0 && values.length % E === 0;
  if (!ok) {
    throw new BatchError(`edge values have length ${values.length}, not a positive multiple of the batch's ${E} edges; pass one row per edge`);
  }
  const k = E === 0 ? 0 : values.length / E;
  const out: Float32Array[] = [];
  for (let b = 0; b < batched.numGraphs; b++) {
    out.push(values.subarray((batched.edgeOffsets[b] as number) * k, (batched.edgeOffsets[b + 1] as number) * k));
  }
  return out;
}

/** Splits per-node values (N·k entries) of a batch back per graph, as views. */
export function unbatchNodeValues(batched: BatchedParameterGraph, values: Float32Array): Float32Array[] {
  const N = batched.numNodes;
  if (values.length % N !== 0 || values.length === 0) {
    throw new BatchError(`node values have length ${values.length}, not a positive multiple of the batch's ${N} nodes; pass one row per node`);
  }
  const k = values.length / N;
  const out: Float32Array[] = [];
  for (let b = 0; b < batched.numGraphs; b++) {
    out.push(values.subarray((batched.nodeOffsets[b] as number) * k, (batched.nodeOffsets[b + 1] as number) * k));
  }
  return out;
}
