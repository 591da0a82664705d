/**
 * The layout of a spec's parameter graph, computed from the spec alone (no weights):
 * node groups and edge blocks. `toParameterGraph` fills typed arrays from it in one pass,
 * `fromParameterGraph` only needs its parameter blocks. Keeping the layout separate from the
 * filling is what lets both directions agree by construction.
 */
import type { ParamInfo } from '@metanet/spec';
import { EDGE_TYPES, NODE_TYPES, type EdgeType, type NodeType } from '../types';

/** A contiguous run of nodes sharing layer and type. */
export interface NodeGroup {
  start: number;
  count: number;
  layer: number;
  type: NodeType;
  /**
   * How `ioIndex` is set: 'none' → −1; 'index' → position in the group (network inputs and
   * outputs); 'position' → spatial position (spatial nodes of a flatten).
   */
  io: 'none' | 'index' | 'position';
  /** For 'position' groups: positions per channel and channel-major (C,H,W) vs position-major (T,D) order. */
  positions: number;
  channelMajor: boolean;
  /** Width W of the (H, W) map for image flattens (kh = p / W, kw = p % W); 0 for sequences. */
  mapWidth: number;
  /** Index in `spec.layers` of the layer that created the group; −1 for the network inputs. */
  specLayer: number;
  /** Short role inside that layer, for labels: 'out', 'bias', 'gamma', 'q', 'heads', 'shortcut', ... */
  role: string;
}

/** Edges of one parameter tensor. */
export type ParamBlock =
  | {
      kind: 'matrix';
      /** Weight (out, in, ...kernel) with K = kernel size (1 for dense). */
      edgeType: EdgeType;
      src: NodeGroup;
      dst: NodeGroup;
      kernelH: number;
      kernelW: number;
      isConv: boolean;
    }
  | { kind: 'vector'; edgeType: EdgeType; srcNode: number; dst: NodeGroup };

/** Parameter-free edges (value 1). */
export type StructBlock =
  | { kind: 'oneToOne'; edgeType: EdgeType; src: NodeGroup; dst: NodeGroup }
  | { kind: 'flatten'; src: NodeGroup; dst: NodeGroup }
  /** Neuron j of `members` ↔ head floor(j / size); `toHead` picks the direction. */
  | { kind: 'head'; members: NodeGroup; heads: NodeGroup; size: number; toHead: boolean };

export interface GraphPlan {
  numNodes: number;
  numEdges: number;
  /** Number of parameter edges P (= total parameter count). */
  numParamEdges: number;
  groups: NodeGroup[];
  /** Parallel to `infos`. */
  params: ParamBlock[];
  infos: ParamInfo[];
  structs: StructBlock[];
}

export const NODE_TYPE_ID: Readonly<Record<NodeType, number>> = Object.fromEntries(NODE_TYPES.map((t, i) => [t, i])) as Record<NodeType, number>;
export const EDGE_TYPE_ID: Readonly<Record<EdgeType, number>> = Object.fromEntries(EDGE_TYPES.map((t, i) => [t, i])) as Record<EdgeType, number>;

export function blockEdgeCount(b: ParamBlock): number {
  return b.kind === 'vector' ? b.dst.count : b.dst.count * b.src.count * b.kernelH * b.kernelW;
}

export function structEdgeCount(b: StructBlock): number {
  return b.kind === 'head' ? b.members.count : b.dst.count;
}
