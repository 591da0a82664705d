import type { Layer, LayerOf, LayerType } from '@metanet/spec';
import type { EdgeType, NodeType } from '../types';
import type { NodeGroup, StructBlock } from './layout';

/** What a layer's planner sees while the graph's layout is laid out, layer by layer. */
export interface PlanContext {
  /** The nodes holding the neurons/channels that flow into the layer; a planner that makes new ones sets it. */
  current: NodeGroup;
  /** The `layer` feature of the deepest nodes so far; a planner adds a node layer with `++ctx.depth`. */
  depth: number;
  /** The layer's input shape (the walker sets it before each layer). */
  input: readonly number[];
  /** True when the network's inputs are one node per element (an MLP reading an image through a flatten). */
  readonly pixelInputs: boolean;
  /** A run of `count` new nodes. */
  group(count: number, layer: number, type: NodeType, role: string, io?: NodeGroup['io'], extra?: Partial<NodeGroup>): NodeGroup;
  /** One new node; returns its index. */
  single(layer: number, type: NodeType, role?: string): number;
  /** The edges of the next weight tensor (out, in, kh, kw): one per entry, `src` → `dst`. */
  matrix(edgeType: EdgeType, src: NodeGroup, dst: NodeGroup, kernelH?: number, kernelW?: number, isConv?: boolean): void;
  /** The edges of the next vector tensor (a bias, γ or β): one node → each node of `dst`. */
  vector(edgeType: EdgeType, srcNode: number, dst: NodeGroup): void;
  /** γ and β nodes of a normalisation acting on `target`'s channels, at their depth; `module` prefixes their role. */
  norm(target: NodeGroup, module?: string): void;
  /** Parameter-free edges (value 1). */
  struct(block: StructBlock): void;
}

/** How one layer type adds its nodes and edges, in `paramInfos` order for its tensors. */
export type LayerPlanner<L extends Layer> = (layer: L, ctx: PlanContext) => void;

/** One planner per layer type; TypeScript rejects the record while a type lacks one. */
export type LayerPlanners = { readonly [T in LayerType]: LayerPlanner<LayerOf<T>> };
