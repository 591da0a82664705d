/**
 * Training on a graph too big for one pass: the edges are processed in chunks.
 *
 * Only the edge state is E-sized; node, global and pooled states are N, G or N×hidden.
 * A MetaLayer's per-edge phase meets the other edges only through its pools (messages into
 * a node, edges of a graph), and the graph head's edge pool is a sum too, so each layer runs
 * its per-edge phase chunk by chunk with the pools added up, then its node/global phase on the
 * small states (forward.ts). The backward pass walks the layers in reverse and recomputes each
 * chunk's part with the tape on, from the edge state kept in host memory between layers
 * (E × hidden floats per layer), with the gradients of the pools as upstream gradients
 * (backward.ts). Peak device memory is that of one chunk's part of one layer, not of the
 * whole model on the whole graph.
 */
import { tf } from '@metanet/tensor';
import type { GMN } from '../gmn';
import type { GraphTensors } from '../graph-tensors';
import { InvalidConfigError, NonFiniteLossError } from '../errors';
import { backwardByEdges, type GradientSums } from './backward';
import { ChunkRun } from './chunk-run';
import { edgeOutputsByEdges, forwardByEdges, graphReadout } from './forward';
import type { EdgeChunkedLoss } from './loss';

export type { EdgeChunkedLoss } from './loss';

/** Options of training and applying by edge chunks: edges per chunk and training mode. */
export interface EdgeChunkOptions {
  /** Edges per chunk (positive integer). */
  maxEdgesPerChunk: number;
  /** Dropout on. Default true in trainStepByEdges, false in applyByEdges. */
  training?: boolean;
  /** Seed of the dropout masks (per layer and chunk, the same in the recomputation). Default 0. */
  seed?: number;
  /** Step number, only used in error messages. */
  step?: number;
}

/** Outputs of `applyByEdges`: the graph-level output on the device, the edge outputs in host memory. */
export interface EdgeChunkedOutput {
  /** G × graphOutputs, or null without a graph head. Dispose it when done. */
  graph: tf.Tensor2D | null;
  /** E × edgeOutputs, row-major, or null without an edge head. */
  edge: Float32Array | null;
}

/**
 * One optimiser step of `model` on one (batched) graph, with the edges processed in chunks
 * of at most `maxEdgesPerChunk`: for graphs whose whole-graph step does not fit in memory
 * (see HeapBudgetError). Sum and mean aggregation; the gradients equal the whole-graph
 * step's up to float rounding (tested), and dropout masks come from `seed`. Returns the loss.
 */
export function trainStepByEdges(
  model: GMN,
  optimizer: tf.Optimizer,
  graph: GraphTensors,
  loss: EdgeChunkedLoss,
  options: EdgeChunkOptions,
): number {
  checkChunking(model, options.maxEdgesPerChunk);
  if (loss.graph === undefined && loss.edge === undefined) throw new InvalidConfigError('the loss has neither a graph nor an edge part');
  if (loss.graph !== undefined && model.graphHead === null) throw new InvalidConfigError('loss.graph given, but the model has no graph head (graphOutputs 0)');
  if (loss.edge !== undefined && model.edgeHead === null) throw new InvalidConfigError('loss.edge given, but the model has no edge head (edgeOutputs 0)');
  const run = new ChunkRun(model, graph, options.maxEdgesPerChunk, options.training ?? true, options.seed ?? 0);
  const sums: GradientSums = new Map();
  try {
    const pass = forwardByEdges(run, { keepEdgeStates: true, graphPool: loss.graph !== undefined });
    const total = backwardByEdges(run, pass, loss, sums);
    if (!Number.isFinite(total)) {
      throw new NonFiniteLossError(`loss is ${total} at step ${options.step ?? '?'}; lower the learning rate or check the inputs (weights not updated)`);
    }
    optimizer.applyGradients(Object.fromEntries(sums) as tf.NamedTensorMap);
    return total;
  } finally {
    for (const g of sums.values()) g.dispose();
    run.dispose();
  }
}

/**
 * GMN#apply for a graph too big for one pass: the same outputs (up to float rounding,
 * tested), computed in edge chunks with two layers' edge state in host memory. Dropout is
 * off unless `training` is set.
 */
export function applyByEdges(model: GMN, graph: GraphTensors, options: EdgeChunkOptions): EdgeChunkedOutput {
  checkChunking(model, options.maxEdgesPerChunk);
  const run = new ChunkRun(model, graph, options.maxEdgesPerChunk, options.training ?? false, options.seed ?? 0);
  try {
    const pass = forwardByEdges(run, { keepEdgeStates: false, graphPool: model.graphHead !== null });
    const L = model.layers.length;
    const [v, u] = [pass.vs[L]!, pass.us[L]!];
    const headPool = pass.headPool;
    return {
      graph: headPool !== null ? tf.tidy(() => graphReadout(run, v, u, headPool)) : null,
      edge: model.edgeHead !== null ? edgeOutputsByEdges(run, v, u) : null,
    };
  } finally {
    run.dispose();
  }
}

function checkChunking(model: GMN, size: number): void {
  if (!Number.isInteger(size) || size <= 0) throw new InvalidConfigError(`maxEdgesPerChunk=${size}; use a positive integer`);
  if (model.config.aggregation === 'max') {
    throw new InvalidConfigError("edge chunks need a decomposable aggregation; use aggregation 'sum' or 'mean' (max is not supported)");
  }
}
