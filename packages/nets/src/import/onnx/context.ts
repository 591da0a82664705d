import type { Layer } from '@metanet/spec';
import { badOnnx, type OnnxConstant, type OnnxGraph, type OnnxNode } from './graph';

/** The import state at one tensor of the ONNX graph: the spec so far and where it continues. */
export interface FlowContext {
  readonly graph: OnnxGraph;
  /** The tensor the walk stands on (the output of everything imported so far). */
  readonly tensor: string;
  /** Its shape in the spec's layout, without the batch axis ([H, W, C], [T, D] or [D]). */
  readonly shape: readonly number[];
  /** Appends a layer to the spec, checking it fits. */
  push(layer: Layer): void;
  /** The imported params and buffers so far, in paramInfos/bufferInfos order; importers append theirs after `push`. */
  readonly params: Float32Array[];
  readonly buffers: Float32Array[];
  warn(message: string): void;
}

/** What one node's importer sees. */
export interface OnnxContext extends FlowContext {
  readonly node: OnnxNode;
  /** True when the node's output is the graph's output (a final Softmax is dropped there). */
  readonly last: boolean;
  /** The constant tensor feeding input `index` of the node; throws when that input is computed. */
  constant(index: number, what: string): OnnxConstant;
  /** Throws UnsupportedLayerError naming the node and the reason. */
  unsupported(reason: string): never;
}

/** How the ONNX ops that map to one of our layer types are read. */
export interface OnnxImporter {
  readonly ops: readonly string[];
  /** Reads `ctx.node` (and any node it absorbs, e.g. MatMul's bias Add); returns the tensor the walk continues from. */
  read(ctx: OnnxContext): string;
}

/**
 * A subgraph matched where a tensor has several consumers (a residual block,
 * GELU's erf form). `match` returns null, changing nothing, when the subgraph
 * is not its pattern; otherwise it pushes its layers and returns the tensor
 * the walk continues from.
 */
export interface OnnxPattern {
  readonly name: string;
  match(ctx: FlowContext): string | null;
}

/** The sole consumer of `tensor` when it is an `op` node, else undefined. */
export function soleConsumer(graph: OnnxGraph, tensor: string, op: string): OnnxNode | undefined {
  const users = graph.consumers(tensor);
  return users.length === 1 && users[0]?.opType === op ? users[0] : undefined;
}

/** The constant among a binary node's two inputs, when the other one is `tensor`. */
export function otherConstant(graph: OnnxGraph, node: OnnxNode, tensor: string): OnnxConstant | undefined {
  const [a, b] = node.input;
  if (node.input.length !== 2) return undefined;
  if (a === tensor) return graph.constant(b ?? undefined);
  if (b === tensor) return graph.constant(a ?? undefined);
  return undefined;
}

/** A single value of a constant (a scalar or a one-element tensor). */
export function scalar(c: OnnxConstant | undefined): number | undefined {
  return c && c.data.length === 1 ? (c.data[0] as number) : undefined;
}

export function output(node: OnnxNode): string {
  return (node.output[0] as string | undefined) ?? badOnnx(`${node.opType} node ${node.name ?? ''} has no output`);
}
