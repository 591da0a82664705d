/**
 * toParameterGraph: (spec, params) → ParameterGraph in typed arrays.
 *
 * Speed and memory: every array is allocated once from the plan's totals and filled with
 * tight loops; constant feature columns are written for one period and then replicated with
 * `copyWithin` doubling (memcpy speed). Values are copied through Uint32 views so NaN payloads
 * survive and the inverse is bit-exact. No per-edge JS objects: 28 bytes per edge
 * (5 float32 features + 2 int32 endpoints) plus 12 bytes per node.
 */
import { headSlices, type NetSpec } from '@metanet/spec';
import { checkParams, paramRanges } from './param-check';
import { blockEdgeCount, EDGE_TYPE_ID, NODE_TYPE_ID, planGraph, structEdgeCount, type NodeGroup, type ParamBlock, type StructBlock } from './plan';
import { EDGE_FEATURE_DIM as F, NODE_FEATURE_DIM, type ParamEdgeRange, type ParameterGraph } from './types';

/** Options of `toParameterGraph`. */
export interface ToParameterGraphOptions {
  /** Reject NaN and ±Infinity weights with NonFiniteWeightError. Default false. */
  strict?: boolean;
  /**
   * A graph whose arrays to reuse when their sizes fit (e.g. the previous net of a zoo with the
   * same spec): they are overwritten entirely and shared with the result, so `into` must not
   * be used afterwards. Saves the allocation, which dominates for large nets (fresh pages).
   */
  into?: ParameterGraph;
}

/** Writes arr[start + period, start + total) by repeating arr[start, start + period). */
function repeatPrefix(arr: Int32Array | Float32Array, start: number, period: number, total: number): void {
  let len = period;
  while (len < total) {
    const n = Math.min(len, total - len);
    arr.copyWithin(start + len, start, start + n);
    len += n;
  }
}

function fillNodes(feats: Float32Array, g: NodeGroup): void {
  const type = NODE_TYPE_ID[g.type];
  for (let j = 0; j < g.count; j++) {
    const o = (g.start + j) * NODE_FEATURE_DIM;
    feats[o] = g.layer;
    feats[o + 1] = g.io === 'none' ? -1 : g.io === 'index' ? j : g.channelMajor ? j % g.positions : Math.floor(j / (g.count / g.positions));
    feats[o + 2] = type;
  }
}

/**
 * Parameter edges of one tensor, starting at edge e0, in the tensor's row-major order, with the
 * tensor's values. Works one output row (one target neuron) at a time: the row is copied from the
 * first, which stays in cache, so each fresh page is written once while hot rather than in
 * several sweeps over hundreds of megabytes.
 */
function fillParamBlock(b: ParamBlock, e0: number, E: number, index: Int32Array, feats: Float32Array, featBits: Uint32Array, values: Float32Array): void {
  const count = blockEdgeCount(b);
  const type = EDGE_TYPE_ID[b.edgeType];
  const layer = b.dst.layer;
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const f0 = e0 * F;
  if (b.kind === 'vector') {
    index.fill(b.srcNode, e0, e0 + count);
    for (let o = 0; o < count; o++) index[E + e0 + o] = b.dst.start + o;
    feats[f0 + 1] = layer;
    feats[f0 + 2] = type;
    feats[f0 + 3] = -1;
    feats[f0 + 4] = -1;
    repeatPrefix(feats, f0, F, count * F);
    for (let k = 0, f = f0; k < count; k++, f += F) featBits[f] = bits[k] as number;
    return;
  }
  const K = b.kernelH * b.kernelW;
  const inCount = b.src.count;
  const row = inCount * K; // edges per output neuron
  for (let i = 0; i < inCount; i++) index.fill(b.src.start + i, e0 + i * K, e0 + (i + 1) * K);
  for (let k = 0; k < K; k++) {
    const r = f0 + k * F;
    feats[r + 1] = layer;
    feats[r + 2] = type;
    feats[r + 3] = b.isConv ? Math.floor(k / b.kernelW) : -1;
    feats[r + 4] = b.isConv ? k % b.kernelW : -1;
  }
  repeatPrefix(feats, f0, K * F, row * F);
  const rowF = row * F;
  for (let o = 0, e = e0; o < b.dst.count; o++, e += row) {
    if (o > 0) {
      index.copyWithin(e, e0, e0 + row);
      feats.copyWithin(e * F, f0, f0 + rowF);
    }
    index.fill(b.dst.start + o, E + e, E + e + row);
    for (let k = o * row, end = k + row, f = e * F; k < end; k++, f += F) featBits[f] = bits[k] as number;
  }
}

function fillStructBlock(b: StructBlock, e0: number, E: number, index: Int32Array, feats: Float32Array): void {
  const count = structEdgeCount(b);
  for (let j = 0; j < count; j++) {
    const e = e0 + j;
    let src: number;
    let dst: number;
    let kh = -1;
    let kw = -1;
    let layer: number;
    let type: number;
    if (b.kind === 'oneToOne') {
      src = b.src.start + j;
      dst = b.dst.start + j;
      layer = b.dst.layer;
      type = EDGE_TYPE_ID[b.edgeType];
    } else if (b.kind === 'flatten') {
      const g = b.dst;
      const channels = g.count / g.positions;
      const c = g.channelMajor ? Math.floor(j / g.positions) : j % channels;
      const p = g.channelMajor ? j % g.positions : Math.floor(j / channels);
      src = b.src.start + c;
      dst = g.start + j;
      if (g.mapWidth > 0) {
        kh = Math.floor(p / g.mapWidth);
        kw = p % g.mapWidth;
      } else {
        kh = p;
      }
      layer = g.layer;
      type = EDGE_TYPE_ID.flatten;
    } else {
      const member = b.members.start + j;
      const head = b.heads.start + Math.floor(j / b.size);
      src = b.toHead ? member : head;
      dst = b.toHead ? head : member;
      layer = b.toHead ? b.heads.layer : b.members.layer;
      type = EDGE_TYPE_ID.head;
    }
    index[e] = src;
    index[E + e] = dst;
    const f = e * F;
    feats[f] = 1;
    feats[f + 1] = layer;
    feats[f + 2] = type;
    feats[f + 3] = kh;
    feats[f + 4] = kw;
  }
}

/**
 * Encodes a network as a parameter graph.
 * `params` are plain Float32Arrays in `paramInfos(spec)` order and PyTorch layout
 * (dense (out, in), conv (out, in, kh, kw)); no tensors are needed. BN running statistics are
 * buffers, not parameters: they stay outside the graph.
 */
export function toParameterGraph(spec: NetSpec, params: readonly Float32Array[], options: ToParameterGraphOptions = {}): ParameterGraph {
  const plan = planGraph(spec);
  checkParams(plan, params, options.strict ?? false);
  const N = plan.numNodes;
  const E = plan.numEdges;
  const reuse = <T extends Float32Array | Int32Array>(old: T | undefined, make: (n: number) => T, n: number): T => (old && old.length === n ? old : make(n));
  const nodeFeatures = reuse(options.into?.nodeFeatures, (n) => new Float32Array(n), N * NODE_FEATURE_DIM);
  const edgeIndex = reuse(options.into?.edgeIndex, (n) => new Int32Array(n), 2 * E);
  const edgeFeatures = reuse(options.into?.edgeFeatures, (n) => new Float32Array(n), E * F);
  for (const g of plan.groups) fillNodes(nodeFeatures, g);

  const featBits = new Uint32Array(edgeFeatures.buffer, edgeFeatures.byteOffset, edgeFeatures.length);
  const paramEdges = paramRanges(plan);
  plan.params.forEach((b, j) => {
    fillParamBlock(b, (paramEdges[j] as ParamEdgeRange).start, E, edgeIndex, edgeFeatures, featBits, params[j] as Float32Array);
  });
  let e = plan.numParamEdges;
  for (const b of plan.structs) {
    fillStructBlock(b, e, E, edgeIndex, edgeFeatures);
    e += structEdgeCount(b);
  }
  const heads = headSlices(spec);
  if (!heads.length) return { numNodes: N, numEdges: E, nodeFeatures, edgeIndex, edgeFeatures, paramEdges };
  return { numNodes: N, numEdges: E, nodeFeatures, edgeIndex, edgeFeatures, paramEdges, nodeHeads: headOfNodes(plan.groups, heads, N) };
}

/** The head of each output node (one group: the last dense layer's outputs, in head order), −1 elsewhere. */
function headOfNodes(groups: readonly NodeGroup[], heads: ReturnType<typeof headSlices>, N: number): Int32Array {
  const out = new Int32Array(N).fill(-1);
  const outputs = groups.find((g) => g.type === 'output');
  if (!outputs) return out;
  for (const h of heads) out.fill(h.index, outputs.start + h.start, outputs.start + h.start + h.units);
  return out;
}
