import type { BatchedParameterGraph, ParameterGraph } from '@metanet/graph';
import { tf } from '@metanet/tensor';
import { InvalidGraphError } from './errors';
import { edgeCategoryFeatureDim, edgeValueFeatureDim, encodeNodeFeatures, nodeFeatureDim, splitEdgeFeatures, type FeatureConfig } from './encoders/features';
import { EDGE_FEATURE_DIM, NODE_FEATURE_DIM } from '@metanet/graph';

/**
 * A (batch of) parameter graph(s) on the device: index tensors and the encoder's fixed
 * input features. Built once per batch and reused across training steps; `dispose()` frees it.
 */
export interface GraphTensors {
  readonly numNodes: number;
  readonly numEdges: number;
  readonly numGraphs: number;
  /** E: source node j of edge (i, j) (messages flow source → target). */
  readonly source: tf.Tensor1D;
  /** E: target node i. */
  readonly target: tf.Tensor1D;
  readonly edgeGraph: tf.Tensor1D;
  readonly nodeGraph: tf.Tensor1D;
  /** N×1 in-degree (number of incoming edges, aggregated at each node by forward messages). */
  readonly inDegree: tf.Tensor2D;
  /** N×1 out-degree (number of outgoing edges, aggregated by backward messages). */
  readonly outDegree: tf.Tensor2D;
  /** G×1 node and edge counts. */
  readonly nodesPerGraph: tf.Tensor2D;
  readonly edgesPerGraph: tf.Tensor2D;
  /** Host copies of the per-graph counts and offsets. */
  readonly nodeOffsets: Int32Array;
  readonly edgeOffsets: Int32Array;
  /** N × nodeFeatureDim fixed encoder features. */
  readonly nodeInput: tf.Tensor2D;
  /**
   * The E × edgeFeatureDim edge features, split (see splitEdgeFeatures): row e is
   * [edgeValueInput row e, edgeCategoryInput row edgeCategory[e]].
   */
  readonly edgeValueInput: tf.Tensor2D;
  readonly edgeCategory: tf.Tensor1D;
  readonly edgeCategoryInput: tf.Tensor2D;
  /** Frees the uploaded tensors. */
  dispose(): void;
}

function isBatched(g: ParameterGraph): g is BatchedParameterGraph {
  return 'numGraphs' in g && 'nodeGraph' in g && 'edgeGraph' in g;
}

interface HostGraph {
  numNodes: number;
  numEdges: number;
  numGraphs: number;
  nodeFeatures: Float32Array;
  edgeFeatures: Float32Array;
  edgeIndex: Int32Array;
  nodeGraph: Int32Array;
  edgeGraph: Int32Array;
  nodeOffsets: Int32Array;
  edgeOffsets: Int32Array;
  /** Each output node's head (−1 elsewhere), when any graph is of a multi-head net. */
  nodeHeads?: Int32Array;
  /** N × k caller-computed node columns (`GraphNodeExtra`), when every graph carries them. */
  nodeExtra?: Float32Array;
}

/**
 * Per-node columns a caller attaches to a parameter graph for a GMN built with `features.nodeExtra = k`:
 * N × k row-major, appended to each node's encoded features. Graphs without it are refused by such a GMN;
 * a GMN without `nodeExtra` ignores it.
 */
export interface GraphNodeExtra {
  readonly nodeExtra?: Float32Array;
}

/** A parameter graph as a GMN takes it: optionally with caller-computed node columns. */
export type GraphInput = ParameterGraph & GraphNodeExtra;

const extraOf = (g: ParameterGraph): Float32Array | undefined => (g as ParameterGraph & GraphNodeExtra).nodeExtra;

function checkGraph(g: ParameterGraph, which: string): void {
  const { numNodes: n, numEdges: e } = g;
  if (!Number.isInteger(n) || n <= 0 || !Number.isInteger(e) || e < 0) {
    throw new InvalidGraphError(`${which}: numNodes=${n}, numEdges=${e}; a graph needs ≥1 node and ≥0 edges`);
  }
  if (g.nodeFeatures.length !== n * NODE_FEATURE_DIM || g.edgeFeatures.length !== e * EDGE_FEATURE_DIM) {
    throw new InvalidGraphError(`${which}: feature arrays do not match numNodes/numEdges; rebuild it with toParameterGraph`);
  }
  if (g.nodeHeads && g.nodeHeads.length !== n) {
    throw new InvalidGraphError(`${which}: nodeHeads has ${g.nodeHeads.length} entries, expected ${n}; rebuild it with toParameterGraph`);
  }
  if (g.edgeIndex.length !== 2 * e) {
    throw new InvalidGraphError(`${which}: edgeIndex has ${g.edgeIndex.length} entries, expected 2×${e}`);
  }
  for (let i = 0; i < 2 * e; i++) {
    const v = g.edgeIndex[i]!;
    if (v < 0 || v >= n) throw new InvalidGraphError(`${which}: edgeIndex[${i}]=${v} is outside 0..${n - 1}`);
  }
  for (let i = 0; i < g.edgeFeatures.length; i++) {
    if (!Number.isFinite(g.edgeFeatures[i]!)) {
      throw new InvalidGraphError(`${which}: edge ${Math.floor(i / EDGE_FEATURE_DIM)} has a non-finite feature`);
    }
  }
}

function concatGraphs(graphs: readonly ParameterGraph[]): HostGraph {
  if (graphs.length === 0) throw new InvalidGraphError('graphTensors needs at least one graph');
  let n = 0;
  let e = 0;
  graphs.forEach((g, i) => {
    if (isBatched(g)) throw new InvalidGraphError(`graph ${i} is already batched; pass the single graphs or the batch alone`);
    checkGraph(g, `graph ${i}`);
    n += g.numNodes;
    e += g.numEdges;
  });
  const out: HostGraph = {
    numNodes: n,
    numEdges: e,
    numGraphs: graphs.length,
    nodeFeatures: new Float32Array(n * NODE_FEATURE_DIM),
    edgeFeatures: new Float32Array(e * EDGE_FEATURE_DIM),
    edgeIndex: new Int32Array(2 * e),
    nodeGraph: new Int32Array(n),
    edgeGraph: new Int32Array(e),
    nodeOffsets: new Int32Array(graphs.length + 1),
    edgeOffsets: new Int32Array(graphs.length + 1),
    ...(graphs.some((g) => g.nodeHeads) && { nodeHeads: new Int32Array(n).fill(-1) }),
  };
  // Extra columns are concatenated when every graph has them with one width; a batch that mixes is refused here,
  // naming the graph, and a single graph of the wrong length is reported by the encoder.
  const extras = graphs.map(extraOf);
  const width = extras[0] !== undefined ? extras[0].length / graphs[0]!.numNodes : 0;
  const odd = extras.findIndex((x, i) => (x === undefined) !== (extras[0] === undefined) || (x !== undefined && x.length !== width * graphs[i]!.numNodes));
  if (odd >= 0) {
    throw new InvalidGraphError(`graph ${odd} ${extras[odd] === undefined ? 'has no' : 'has another width of'} nodeExtra than graph 0; attach the same columns (N × K) to every graph of a batch`);
  }
  if (width > 0 && Number.isInteger(width)) {
    const all = new Float32Array(n * width);
    let at = 0;
    extras.forEach((x) => {
      all.set(x!, at);
      at += x!.length;
    });
    out.nodeExtra = all;
  }
  let no = 0;
  let eo = 0;
  graphs.forEach((g, gi) => {
    out.nodeFeatures.set(g.nodeFeatures, no * NODE_FEATURE_DIM);
    if (out.nodeHeads && g.nodeHeads) out.nodeHeads.set(g.nodeHeads, no);
    out.edgeFeatures.set(g.edgeFeatures, eo * EDGE_FEATURE_DIM);
    for (let k = 0; k < g.numEdges; k++) {
      out.edgeIndex[eo + k] = g.edgeIndex[k]! + no;
      out.edgeIndex[e + eo + k] = g.edgeIndex[g.numEdges + k]! + no;
    }
    out.nodeGraph.fill(gi, no, no + g.numNodes);
    out.edgeGraph.fill(gi, eo, eo + g.numEdges);
    no += g.numNodes;
    eo += g.numEdges;
    out.nodeOffsets[gi + 1] = no;
    out.edgeOffsets[gi + 1] = eo;
  });
  return out;
}

function fromBatched(g: BatchedParameterGraph): HostGraph {
  checkGraph(g, 'batched graph');
  const G = g.numGraphs;
  const bad = (what: string): never => {
    throw new InvalidGraphError(`batched graph: ${what}; batch graphs with batchGraphs from @metanet/graph`);
  };
  if (!Number.isInteger(G) || G <= 0) bad(`numGraphs=${G}`);
  if (g.nodeGraph.length !== g.numNodes || g.edgeGraph.length !== g.numEdges) bad('nodeGraph/edgeGraph lengths differ from N/E');
  if (g.nodeOffsets.length !== G + 1 || g.edgeOffsets.length !== G + 1) bad('offset arrays need numGraphs + 1 entries');
  for (let i = 0; i < g.numNodes; i++) if (g.nodeGraph[i]! < 0 || g.nodeGraph[i]! >= G) bad(`nodeGraph[${i}] out of range`);
  for (let i = 0; i < g.numEdges; i++) if (g.edgeGraph[i]! < 0 || g.edgeGraph[i]! >= G) bad(`edgeGraph[${i}] out of range`);
  return {
    numNodes: g.numNodes,
    numEdges: g.numEdges,
    numGraphs: G,
    nodeFeatures: g.nodeFeatures,
    edgeFeatures: g.edgeFeatures,
    edgeIndex: g.edgeIndex,
    nodeGraph: g.nodeGraph,
    edgeGraph: g.edgeGraph,
    nodeOffsets: g.nodeOffsets,
    edgeOffsets: g.edgeOffsets,
    ...(g.nodeHeads && { nodeHeads: g.nodeHeads }),
    ...(extraOf(g) && { nodeExtra: extraOf(g) }),
  };
}

function counts(ids: Int32Array, groups: number): Float32Array {
  const c = new Float32Array(groups);
  for (let i = 0; i < ids.length; i++) c[ids[i]!]! += 1;
  return c;
}

/**
 * Uploads graphs for a GMN: one graph, an array of graphs (concatenated with node
 * offsets, in order), or an already batched graph. Validates indices and features.
 */
export function graphTensors(
  graphs: GraphInput | (BatchedParameterGraph & GraphNodeExtra) | readonly GraphInput[],
  features: FeatureConfig,
): GraphTensors {
  const host = Array.isArray(graphs)
    ? concatGraphs(graphs as readonly ParameterGraph[])
    : isBatched(graphs as ParameterGraph)
      ? fromBatched(graphs as BatchedParameterGraph)
      : concatGraphs([graphs as ParameterGraph]);
  const { numNodes: N, numEdges: E, numGraphs: G } = host;
  const nodeEnc = encodeNodeFeatures(host.nodeFeatures, N, features, host.nodeHeads, host.nodeExtra);
  const edgeEnc = splitEdgeFeatures(host.edgeFeatures, E, features);
  const src = host.edgeIndex.subarray(0, E);
  const dst = host.edgeIndex.subarray(E, 2 * E);
  const t: GraphTensors = {
    numNodes: N,
    numEdges: E,
    numGraphs: G,
    source: tf.tensor1d(src, 'int32'),
    target: tf.tensor1d(dst, 'int32'),
    edgeGraph: tf.tensor1d(host.edgeGraph, 'int32'),
    nodeGraph: tf.tensor1d(host.nodeGraph, 'int32'),
    inDegree: tf.tensor2d(counts(dst, N), [N, 1]),
    outDegree: tf.tensor2d(counts(src, N), [N, 1]),
    nodesPerGraph: tf.tensor2d(counts(host.nodeGraph, G), [G, 1]),
    edgesPerGraph: tf.tensor2d(counts(host.edgeGraph, G), [G, 1]),
    nodeOffsets: Int32Array.from(host.nodeOffsets),
    edgeOffsets: Int32Array.from(host.edgeOffsets),
    nodeInput: tf.tensor2d(nodeEnc, [N, nodeFeatureDim(features)]),
    edgeValueInput: tf.tensor2d(edgeEnc.values, [E, edgeValueFeatureDim(features)]),
    edgeCategory: tf.tensor1d(edgeEnc.categories, 'int32'),
    edgeCategoryInput: tf.tensor2d(edgeEnc.table, [edgeEnc.numCategories, edgeCategoryFeatureDim(features)]),
    dispose() {
      tf.dispose([
        t.source, t.target, t.edgeGraph, t.nodeGraph, t.inDegree, t.outDegree, t.nodesPerGraph, t.edgesPerGraph,
        t.nodeInput, t.edgeValueInput, t.edgeCategory, t.edgeCategoryInput,
      ]);
    },
  };
  return t;
}

/**
 * Splits graphs, in order, into uploaded chunks of at most `maxEdgesPerChunk` edges
 * (a graph larger than the budget gets a chunk of its own). With `trainStep`, a batch of
 * any size then trains within a fixed memory budget: peak memory follows the chunk, not the batch.
 */
export function chunkGraphTensors(
  graphs: readonly GraphInput[],
  features: FeatureConfig,
  maxEdgesPerChunk: number,
): GraphTensors[] {
  if (!Number.isInteger(maxEdgesPerChunk) || maxEdgesPerChunk <= 0) {
    throw new InvalidGraphError(`maxEdgesPerChunk=${maxEdgesPerChunk}; use a positive integer edge budget`);
  }
  const groups: GraphInput[][] = [];
  let current: GraphInput[] = [];
  let edges = 0;
  for (const g of graphs) {
    if (current.length > 0 && edges + g.numEdges > maxEdgesPerChunk) {
      groups.push(current);
      current = [];
      edges = 0;
    }
    current.push(g);
    edges += g.numEdges;
  }
  if (current.length > 0) groups.push(current);
  const out: GraphTensors[] = [];
  try {
    for (const grp of groups) out.push(graphTensors(grp, features));
  } catch (e) {
    out.forEach((t) => t.dispose());
    throw e;
  }
  return out;
}
