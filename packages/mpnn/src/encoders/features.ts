/**
 * Fixed (non-learnt) input features of the GMN encoder, computed on the host from the
 * ParameterGraph's typed arrays. The learnt part of the encoder is one linear map
 * per kind (node, edge) on top of these, so embedding a node type is the same as a
 * linear map of its one-hot code.
 */
import { EDGE_FEATURE_DIM, EDGE_TYPES, NODE_FEATURE_DIM, NODE_TYPES } from '@metanet/graph';
import { InvalidGraphError } from '../errors';

/** The encoder's sinusoidal and Fourier frequencies. */
export interface FeatureConfig {
  /** Sinusoidal frequencies for layer index, I/O index and kernel positions. */
  frequencies: number;
  /** Fourier frequencies (2^0 … 2^(n−1), in cycles per unit) for edge values. */
  valueFrequencies: number;
  /**
   * Head-identity columns: a one-hot of the head (`ParameterGraph.nodeHeads`) on each output node of a multi-head net,
   * for nets of up to this many heads. Absent or 0: no columns, and a multi-head graph is read by its ioIndex alone
   * (the width, and so every saved GMN, stays what it was). Output nodes of a single-head net get zeros.
   */
  heads?: number;
  /**
   * Extra node columns the caller computes per node (`GraphNodeExtra.nodeExtra`, N × nodeExtra, appended after
   * every fixed column), e.g. probe features: a neuron's activations on fixed inputs. Absent or 0: none, and
   * the width and every saved GMN stay what they were.
   */
  nodeExtra?: number;
}

/** The default encoder frequencies. */
export const DEFAULT_FEATURES: FeatureConfig = { frequencies: 8, valueFrequencies: 8 };

/** Transformer-style positional code: sin/cos at geometrically spaced periods up to 2π·1000. */
function writeSinusoid(out: Float32Array, at: number, pos: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const rate = Math.pow(1000, -i / n);
    out[at + 2 * i] = Math.sin(pos * rate);
    out[at + 2 * i + 1] = Math.cos(pos * rate);
  }
}

/** Width of the encoded node features for this encoder configuration. */
export function nodeFeatureDim(c: FeatureConfig): number {
  // layer sinusoid, io flag + io sinusoid, node-type one-hot, head one-hot
  return 2 * c.frequencies + 1 + 2 * c.frequencies + NODE_TYPES.length + (c.heads ?? 0) + (c.nodeExtra ?? 0);
}

/** Width of the encoded edge features for this encoder configuration. */
export function edgeFeatureDim(c: FeatureConfig): number {
  // value + value Fourier, layer sinusoid, edge-type one-hot, (flag + sinusoid) for kh and kw
  return 1 + 2 * c.valueFrequencies + 2 * c.frequencies + EDGE_TYPES.length + 2 * (1 + 2 * c.frequencies);
}

function typeIndex(raw: number, vocab: number, what: string, row: number): number {
  if (!Number.isInteger(raw) || raw < 0 || raw >= vocab) {
    throw new InvalidGraphError(
      `${what} ${row} has type ${raw}, outside 0..${vocab - 1}; build graphs with toParameterGraph from @metanet/graph`,
    );
  }
  return raw;
}

/**
 * N × nodeFeatureDim features from [layer, ioIndex, nodeType] rows, and, with `c.heads`, each output node's head from
 * `nodeHeads` (−1 for every other node; absent for a single-head net).
 */
export function encodeNodeFeatures(nodeFeatures: Float32Array, numNodes: number, c: FeatureConfig, nodeHeads?: Int32Array, nodeExtra?: Float32Array): Float32Array {
  const d = nodeFeatureDim(c);
  const heads = c.heads ?? 0;
  const headAt = 4 * c.frequencies + 1 + NODE_TYPES.length;
  const extra = c.nodeExtra ?? 0;
  const extraAt = headAt + heads;
  if (extra > 0 && (nodeExtra === undefined || nodeExtra.length !== numNodes * extra)) {
    throw new InvalidGraphError(
      `the GMN reads ${extra} extra node columns (features.nodeExtra), and the graph carries ${nodeExtra === undefined ? 'none' : `${nodeExtra.length} values for ${numNodes} nodes`}; attach nodeExtra (N × ${extra}) to every graph, or build the GMN without features.nodeExtra`,
    );
  }
  const f = c.frequencies;
  const out = new Float32Array(numNodes * d);
  for (let n = 0; n < numNodes; n++) {
    const layer = nodeFeatures[n * NODE_FEATURE_DIM]!;
    const io = nodeFeatures[n * NODE_FEATURE_DIM + 1]!;
    const type = typeIndex(nodeFeatures[n * NODE_FEATURE_DIM + 2]!, NODE_TYPES.length, 'node', n);
    const o = n * d;
    writeSinusoid(out, o, layer, f);
    // ioIndex −1 marks a permutable (hidden) node: it gets no positional code at all,
    // so the encoding cannot break the symmetry the network really has.
    if (io >= 0) {
      out[o + 2 * f] = 1;
      writeSinusoid(out, o + 2 * f + 1, io, f);
    }
    out[o + 4 * f + 1 + type] = 1;
    const head = heads > 0 && nodeHeads ? nodeHeads[n]! : -1;
    if (head >= heads) {
      throw new InvalidGraphError(`node ${n} belongs to head ${head}, and this GMN reads up to ${heads} heads; create it with features.heads ≥ ${head + 1}`);
    }
    // Head identity is a property of the function (which task an output serves), like ioIndex: no symmetry to keep.
    if (head >= 0) out[o + headAt + head] = 1;
    for (let k = 0; k < extra; k++) {
      const v = nodeExtra![n * extra + k]!;
      if (!Number.isFinite(v)) throw new InvalidGraphError(`node ${n} has a non-finite extra feature (column ${k}); compute nodeExtra from finite values`);
      out[o + extraAt + k] = v;
    }
  }
  return out;
}

/** Columns of the edge features that depend on the edge's value: the value and its Fourier code. */
export function edgeValueFeatureDim(c: FeatureConfig): number {
  return 1 + 2 * c.valueFrequencies;
}

/** The remaining columns, fixed by (layer, edge type, kh, kw): categorical. */
export function edgeCategoryFeatureDim(c: FeatureConfig): number {
  return edgeFeatureDim(c) - edgeValueFeatureDim(c);
}

function writeValueFeatures(out: Float32Array, o: number, value: number, fv: number): void {
  out[o] = value;
  if (fv === 0) return;
  // The Fourier code at 2^k cycles by the double-angle identities from one sin/cos pair: sin 2a = 2·sin a·cos a,
  // cos 2a = (cos a − sin a)(cos a + sin a). In float64 the error grows about 2× per doubling (about 1e-14 after
  // 7), far below float32's rounding of the result, which it changes by at most 1 ulp and rarely (none on the
  // bench's nets). It replaces 16 Math.sin/cos calls per edge, most of the cost of uploading a graph
  // (`npm run bench:features`).
  const a = 2 * Math.PI * value;
  let s = Math.sin(a);
  let c = Math.cos(a);
  for (let k = 0; k < fv; k++) {
    out[o + 1 + 2 * k] = s;
    out[o + 2 + 2 * k] = c;
    const s2 = 2 * s * c;
    c = (c - s) * (c + s);
    s = s2;
  }
}

/** Layer sinusoid, edge-type one-hot, (flag + sinusoid) for kh and kw, from the row at `i` of [value, layer, edgeType, kh, kw]. */
function writeCategoryFeatures(out: Float32Array, o: number, edgeFeatures: Float32Array, i: number, e: number, f: number): void {
  const khAt = 2 * f + EDGE_TYPES.length;
  const kwAt = khAt + 1 + 2 * f;
  writeSinusoid(out, o, edgeFeatures[i + 1]!, f);
  out[o + 2 * f + typeIndex(edgeFeatures[i + 2]!, EDGE_TYPES.length, 'edge', e)] = 1;
  const kh = edgeFeatures[i + 3]!;
  const kw = edgeFeatures[i + 4]!;
  if (kh >= 0) {
    out[o + khAt] = 1;
    writeSinusoid(out, o + khAt + 1, kh, f);
  }
  if (kw >= 0) {
    out[o + kwAt] = 1;
    writeSinusoid(out, o + kwAt + 1, kw, f);
  }
}

/** E × edgeFeatureDim features from [value, layer, edgeType, kh, kw] rows. */
export function encodeEdgeFeatures(edgeFeatures: Float32Array, numEdges: number, c: FeatureConfig): Float32Array {
  const d = edgeFeatureDim(c);
  const dv = edgeValueFeatureDim(c);
  const out = new Float32Array(numEdges * d);
  for (let e = 0; e < numEdges; e++) {
    const i = e * EDGE_FEATURE_DIM;
    writeValueFeatures(out, e * d, edgeFeatures[i]!, c.valueFrequencies);
    writeCategoryFeatures(out, e * d + dv, edgeFeatures, i, e, c.frequencies);
  }
  return out;
}

/**
 * The same features as encodeEdgeFeatures, split for a cheap first layer: row e of
 * the full matrix is [values row e, table row categories[e]]. The categorical block
 * takes one of few distinct rows (a net has few (layer, type, kh, kw) combinations:
 * 30 in homework-cnn against 58k edges), so the encoder projects the table once and
 * gathers it, instead of multiplying 62 constant columns per edge.
 */
export interface SplitEdgeFeatures {
  /** E × edgeValueFeatureDim. */
  values: Float32Array;
  /** E category ids, rows of `table`. */
  categories: Int32Array;
  /** numCategories × edgeCategoryFeatureDim, in order of first appearance. */
  table: Float32Array;
  numCategories: number;
}

/** Splits raw edge features into the encoder's inputs: the value part and the categorical part. */
export function splitEdgeFeatures(edgeFeatures: Float32Array, numEdges: number, c: FeatureConfig): SplitEdgeFeatures {
  const dv = edgeValueFeatureDim(c);
  const dc = edgeCategoryFeatureDim(c);
  const values = new Float32Array(numEdges * dv);
  const categories = new Int32Array(numEdges);
  const ids = new Map<string, number>();
  const rows: number[] = [];
  let last = -1;
  let lastId = -1;
  const sameAsLast = (i: number): boolean =>
    last >= 0 && edgeFeatures[i + 1] === edgeFeatures[last + 1] && edgeFeatures[i + 2] === edgeFeatures[last + 2] && edgeFeatures[i + 3] === edgeFeatures[last + 3] && edgeFeatures[i + 4] === edgeFeatures[last + 4];
  for (let e = 0; e < numEdges; e++) {
    const i = e * EDGE_FEATURE_DIM;
    writeValueFeatures(values, e * dv, edgeFeatures[i]!, c.valueFrequencies);
    // Runs of edges share a category (a weight tensor's edges are contiguous): compare with the
    // previous row and build the key only where a run starts (a key per edge cost 0.17 ms of 3.5 on 5k edges).
    if (!sameAsLast(i)) {
      const key = `${edgeFeatures[i + 1]}|${edgeFeatures[i + 2]}|${edgeFeatures[i + 3]}|${edgeFeatures[i + 4]}`;
      let id = ids.get(key);
      if (id === undefined) {
        id = rows.length;
        ids.set(key, id);
        rows.push(i);
      }
      last = i;
      lastId = id;
    }
    categories[e] = lastId;
  }
  const table = new Float32Array(rows.length * dc);
  rows.forEach((i, id) => writeCategoryFeatures(table, id * dc, edgeFeatures, i, i / EDGE_FEATURE_DIM, c.frequencies));
  return { values, categories, table, numCategories: rows.length };
}
