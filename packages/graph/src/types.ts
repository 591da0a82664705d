/**
 * ParameterGraph: a network as a GMN parameter graph, in plain typed arrays.
 * No tfjs here: the graph is light to pick alone and to ship to a browser.
 */

/** Node type vocabulary. The index in this array is the `nodeType` feature. */
export const NODE_TYPES = [
  'input', // a network input neuron / channel (layer 0)
  'hidden', // a hidden neuron / channel
  'output', // a network output neuron
  'bias', // one per layer with a bias
  'gamma', // normalisation scale node
  'beta', // normalisation shift node
  'spatial', // conv→dense flatten: one node per (channel, position)
  'head', // attention head node
] as const;
/** A node type, one of `NODE_TYPES`. */
export type NodeType = (typeof NODE_TYPES)[number];

/** Edge type vocabulary. The index in this array is the `edgeType` feature. */
export const EDGE_TYPES = [
  'dense', // linear weight
  'conv', // conv kernel position (parallel edges)
  'bias', // bias node → neuron
  'gamma', // γ node → channel
  'beta', // β node → channel
  'residual', // parameter-free skip, value 1
  'flatten', // parameter-free channel → spatial node, value 1
  'attn_q',
  'attn_k',
  'attn_v',
  'attn_o',
  // Appended (index 11): parameter-free attention head membership edges, value 1
  // (query/key neuron → its head node, head node → the value neurons it mixes).
  'head',
] as const;
/** An edge type, one of `EDGE_TYPES`. */
export type EdgeType = (typeof EDGE_TYPES)[number];

/** Node features per node: [layer, ioIndex, nodeType]. */
export const NODE_FEATURE_DIM = 3; // [layer, ioIndex, nodeType]
/** Edge features per edge: [value, layer, edgeType, kh, kw]. */
export const EDGE_FEATURE_DIM = 5; // [value, layer, edgeType, kh, kw]

/** Where one parameter tensor lives among the edges: a contiguous slice in row-major order. */
export interface ParamEdgeRange {
  name: string;
  shape: number[];
  /** First edge id. */
  start: number;
  /** Number of edges (= product of shape). */
  count: number;
}

/**
 * Layout conventions (see README "Graph layout"):
 * - edges [0, P) are the parameters, tensor after tensor in `paramInfos(spec)` order,
 *   each tensor in row-major flatten order; edges [P, E) are parameter-free
 *   (residual, flatten, head) with value 1. So `edgeFeatures[5e]` for e < P is the
 *   flat parameter vector.
 * - `layer` is the depth of a neuron group (inputs 0); an edge's `layer` is its target's.
 */
export interface ParameterGraph {
  readonly numNodes: number;
  readonly numEdges: number;
  /** N×3 row-major: [layer, ioIndex, nodeType]; ioIndex is −1 for hidden nodes. */
  readonly nodeFeatures: Float32Array;
  /** 2×E: sources in [0, E), targets in [E, 2E). Messages flow source → target. */
  readonly edgeIndex: Int32Array;
  /** E×5 row-major: [value, layer, edgeType, kh, kw], −1 where not applicable. */
  readonly edgeFeatures: Float32Array;
  /** Parameter tensor → edge range, in the spec's parameter order. */
  readonly paramEdges: readonly ParamEdgeRange[];
  /**
   * A multi-head net only (absent otherwise, so single-head graphs are what
   * they were): N entries, the head (position in `spec.heads`) of each output
   * node, −1 for every other node. Output nodes keep their `ioIndex` over all
   * the outputs, so each is told apart even by a reader of `nodeFeatures` alone.
   */
  readonly nodeHeads?: Int32Array;
}

/** Several graphs concatenated with node offsets. */
export interface BatchedParameterGraph extends ParameterGraph {
  readonly numGraphs: number;
  /** N: graph id of each node. */
  readonly nodeGraph: Int32Array;
  /** E: graph id of each edge. */
  readonly edgeGraph: Int32Array;
  /** numGraphs + 1 prefix offsets. */
  readonly nodeOffsets: Int32Array;
  readonly edgeOffsets: Int32Array;
}
