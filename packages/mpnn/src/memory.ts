/**
 * How much memory a training step needs, and whether a chunk fits the wasm heap.
 *
 * tfjs-backend-wasm keeps every tensor in one WebAssembly memory that cannot grow past
 * 4 GiB. When a step needs more, the backend fails deep inside its allocator ("memory
 * access out of bounds" or "Aborted()"), and it cannot be used again in that process.
 * So trainStep checks each chunk first: a step's peak memory is close to linear in the
 * number of edges (every E-row activation and gradient is E×hidden) plus a smaller per-node
 * part, and both slopes are measured once per model on two small calibration graphs.
 */
import { toParameterGraph, type ParameterGraph } from '@metanet/graph';
import { initParamArrays } from '@metanet/nets';
import { architecture } from '@metanet/spec';
import { tf } from '@metanet/tensor';
import type { GMNConfig } from './config';
import type { GraphNodeExtra, GraphTensors } from './graph-tensors';
import { HeapBudgetError } from './errors';
import { edgeValueFeatureDim, type FeatureConfig } from './encoders/features';

/** The largest heap tfjs-backend-wasm can grow to: 4 GiB minus one 64 KiB page. */
export const WASM_HEAP_LIMIT_BYTES = 4294901760;

/**
 * Head room beyond the estimate, for its error (within 2%, see calibrationGraphs). The
 * estimate counts the engine's live tensor bytes, which ran 3–39% above the wasm heap's
 * actual high-water mark in every configuration measured (homework-cnn batches of 1 to 9
 * graphs; 175k edges with edge LayerNorm and dropout: 4.48 GB counted, 3.71 GB of heap),
 * so it also covers the allocator's fragmentation.
 */
const SAFETY_FACTOR = 1.05;
/** Memory kept free for everything else in the step (optimiser slots, loss, small tensors). */
const RESERVE_BYTES = 64 * 2 ** 20;

/**
 * What the estimate needs of a model: its config and a training step it can run on small
 * graphs. GMN is one. This file names no model class, so that GMN can size its chunks with it
 * without an import cycle.
 */
export interface MeasurableModel {
  readonly config: Pick<GMNConfig, 'hidden' | 'layers' | 'mlpLayers' | 'features'>;
  readonly trainableVariables: tf.Variable[];
  /** Uploads a graph. */
  graphTensors(graph: ParameterGraph): GraphTensors;
  /** Runs the model on an uploaded graph. */
  apply(graph: GraphTensors, options: { training: boolean; seed: number }): { graph: tf.Tensor2D | null; edge: tf.Tensor2D | null };
}

/** Options of the memory planner: the heap budget and batch shape. */
export interface MemoryOptions {
  /**
   * Heap size to plan against, in bytes. Default: the wasm heap limit on the wasm backend,
   * none elsewhere (cpu and tfjs-node allocate from the host). Set it lower to keep room.
   */
  heapLimitBytes?: number;
}

interface EngineProfilingState {
  profiling: boolean;
  numBytes: number;
  activeProfile: { kernels: { totalBytesSnapshot: number }[] };
}

function engineState(): EngineProfilingState | null {
  const s = (tf.engine() as unknown as { state?: Partial<EngineProfilingState> }).state;
  if (s === undefined || typeof s.profiling !== 'boolean' || typeof s.numBytes !== 'number') return null;
  if (s.activeProfile === undefined || !Array.isArray(s.activeProfile.kernels)) return null;
  return s as EngineProfilingState;
}

/**
 * Runs fn and returns the peak of the engine's live tensor bytes while it ran, or null
 * when that cannot be observed (another profile is running, or the engine's internals
 * differ from tfjs-core 4.x). tf.profile records the same numbers but only asynchronously.
 */
export function peakBytesDuring(fn: () => void): number | null {
  const s = engineState();
  if (s === null || s.profiling) {
    fn();
    return null;
  }
  const start = s.numBytes;
  const saved = s.activeProfile.kernels;
  s.activeProfile.kernels = [];
  s.profiling = true;
  let kernels: { totalBytesSnapshot: number }[];
  try {
    fn();
  } finally {
    s.profiling = false;
    kernels = s.activeProfile.kernels;
    s.activeProfile.kernels = saved;
  }
  let peak = start;
  for (const k of kernels) if (k.totalBytesSnapshot > peak) peak = k.totalBytesSnapshot;
  return peak;
}

/** Peak memory of one training step as a·E + b·N, measured for one model. */
export interface TrainingMemory {
  bytesPerEdge: number;
  bytesPerNode: number;
}

const memoryCache = new WeakMap<MeasurableModel, TrainingMemory | null>();

/**
 * The calibration graphs, two MLPs with different nodes per edge, so that the per-edge and
 * the per-node costs can be told apart: 48-48-48-10 (5,194 edges, 157 nodes) and 24 layers
 * of 12 (3,640 edges, 316 nodes). Their step peaks at about 50 MB; the fitted model predicts
 * the counted peak within 2% on homework-cnn (1 and 4 graphs), small-cnn, resnet-mini and an
 * MLP 784-64-32-10, at hidden 32 and 64.
 */
function calibrationGraphs(extra: number): Array<ParameterGraph & GraphNodeExtra> {
  return ['mlp:48-48-48-10', `mlp:${Array(24).fill(12).join('-')}-4`].map((name) => {
    const spec = architecture(name);
    const g = toParameterGraph(spec, initParamArrays(spec, { seed: 0 }));
    // A model that reads extra node columns (features.nodeExtra) refuses graphs without them; zeros cost the same.
    return extra > 0 ? { ...g, nodeExtra: new Float32Array(g.numNodes * extra) } : g;
  });
}

function measureStep(model: MeasurableModel, g: GraphTensors): number | null {
  const before = tf.memory().numBytes;
  const peak = peakBytesDuring(() => {
    const { value, grads } = tf.variableGrads(() => {
      const out = model.apply(g, { training: true, seed: 0 });
      const parts = [out.edge, out.graph].filter((t): t is tf.Tensor2D => t !== null).map((t) => tf.sum(tf.square(t)));
      return parts.reduce((a, b) => tf.add(a, b)) as tf.Scalar;
    }, model.trainableVariables);
    value.dispose();
    tf.dispose(Object.values(grads));
  });
  return peak === null ? null : peak - before;
}

/**
 * Peak bytes of one training step (forward, backward, gradients) of this model, as bytes
 * per edge and per node: measured once on two small graphs and cached; null if the engine
 * cannot report it. Dropout uses a fixed seed here, so the model's random stream is untouched.
 */
export function trainingMemory(model: MeasurableModel): TrainingMemory | null {
  if (memoryCache.has(model)) return memoryCache.get(model)!;
  const [g1, g2] = calibrationGraphs(model.config.features.nodeExtra ?? 0).map((g) => model.graphTensors(g)) as [GraphTensors, GraphTensors];
  let result: TrainingMemory | null = null;
  try {
    const p1 = measureStep(model, g1);
    const p2 = measureStep(model, g2);
    if (p1 !== null && p2 !== null) {
      // Solve p = a·E + b·N for the two graphs.
      const det = g1.numEdges * g2.numNodes - g2.numEdges * g1.numNodes;
      const a = (p1 * g2.numNodes - p2 * g1.numNodes) / det;
      const b = (g1.numEdges * p2 - g2.numEdges * p1) / det;
      result =
        a > 0 && b >= 0
          ? { bytesPerEdge: a, bytesPerNode: b }
          : // Not separable (a model whose cost is all per edge, or noise): bound it by the worse graph.
            { bytesPerEdge: Math.max(p1 / g1.numEdges, p2 / g2.numEdges), bytesPerNode: 0 };
    }
  } finally {
    g1.dispose();
    g2.dispose();
  }
  memoryCache.set(model, result);
  return result;
}

/** Estimated peak bytes of one training step on a chunk of E edges and N nodes (null: not measurable). */
export function trainingBytes(model: MeasurableModel, numEdges: number, numNodes: number): number | null {
  const m = trainingMemory(model);
  return m === null ? null : stepBytes(m, numEdges, numNodes);
}

function stepBytes(m: TrainingMemory, numEdges: number, numNodes: number): number {
  return m.bytesPerEdge * numEdges + m.bytesPerNode * numNodes;
}

/**
 * Device bytes per edge of a chunk's uploaded inputs (graphTensors), which stay alive while
 * every chunk of a batch trains: the edge value features plus 4 int32 columns (source, target,
 * graph, category).
 */
export function inputBytesPerEdge(features: FeatureConfig): number {
  return 4 * (edgeValueFeatureDim(features) + 4);
}

/** The heap to plan against on the active backend, or null when it has no fixed heap. */
export function heapLimitBytes(options: MemoryOptions = {}): number | null {
  if (options.heapLimitBytes !== undefined) {
    if (!(options.heapLimitBytes > 0)) throw new HeapBudgetError(`heapLimitBytes=${options.heapLimitBytes}; use a positive number of bytes`);
    return options.heapLimitBytes;
  }
  return tf.getBackend() === 'wasm' ? WASM_HEAP_LIMIT_BYTES : null;
}

/**
 * The most edges one training chunk of this model can have with the memory free now (live
 * tensors already count against the heap), assuming `nodesPerEdge` nodes per edge (default
 * 0.02; CNN graphs have under 0.01, small MLPs up to 0.05). Null when there is no fixed heap
 * or the engine cannot measure the model.
 */
export function maxTrainableEdges(model: MeasurableModel, options: MemoryOptions & { nodesPerEdge?: number } = {}): number | null {
  const limit = heapLimitBytes(options);
  if (limit === null) return null;
  const m = trainingMemory(model);
  if (m === null) return null;
  const perEdge = stepBytes(m, 1, options.nodesPerEdge ?? 0.02);
  const free = limit - tf.memory().numBytes - RESERVE_BYTES;
  return Math.max(0, Math.floor(free / (perEdge * SAFETY_FACTOR)));
}

/**
 * The edge budget of `GMN#graphChunks` without one: the most edges a training step of this
 * model fits in the heap free now (`maxTrainableEdges`), less the uploaded inputs of every
 * chunk, which stay alive while the batch trains; on backends without a fixed heap, one chunk.
 */
export function defaultChunkEdges(model: MeasurableModel, graphs: readonly ParameterGraph[]): number {
  const edges = graphs.reduce((a, g) => a + g.numEdges, 0);
  const nodes = graphs.reduce((a, g) => a + g.numNodes, 0);
  const max = maxTrainableEdges(model, { nodesPerEdge: nodes / Math.max(1, edges) });
  if (max === null) return Math.max(1, edges);
  const inputBytes = edges * inputBytesPerEdge(model.config.features);
  const perEdge = (trainingBytes(model, edges, nodes) ?? edges) / Math.max(1, edges);
  return Math.max(1, max - Math.ceil(inputBytes / perEdge));
}

const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
const count = (n: number) => n.toLocaleString('en-US');

/** Throws HeapBudgetError, before anything runs, when the largest chunk would not fit. */
export function checkChunksFit(model: MeasurableModel, chunks: readonly GraphTensors[], options: MemoryOptions = {}): void {
  const limit = heapLimitBytes(options);
  if (limit === null || chunks.length === 0) return;
  const m = trainingMemory(model);
  if (m === null) return;
  const bytesOf = (c: GraphTensors) => stepBytes(m, c.numEdges, c.numNodes) * SAFETY_FACTOR;
  const largest = chunks.reduce((a, c) => (bytesOf(c) > bytesOf(a) ? c : a));
  const need = bytesOf(largest);
  const free = limit - tf.memory().numBytes - RESERVE_BYTES;
  if (need <= free) return;
  const max = maxTrainableEdges(model, { heapLimitBytes: limit, nodesPerEdge: largest.numNodes / Math.max(1, largest.numEdges) }) ?? 0;
  const c = model.config;
  const perEdge = need / SAFETY_FACTOR / Math.max(1, largest.numEdges);
  const what = `a training step on ${count(largest.numEdges)} edges needs about ${gib(need)} (${(perEdge / 1024).toFixed(1)} KiB per edge for this model) and ${gib(Math.max(0, free))} of the ${gib(limit)} heap is free`;
  const fix =
    largest.numGraphs > 1
      ? `split the batch into chunks of at most ${count(max)} edges: model.graphChunks(graphs, ${max})`
      : `trainStep never splits a graph, and this model fits at most about ${count(max)} edges in one step: train this graph with trainStepByEdges(model, optimizer, graph, loss, { maxEdgesPerChunk: ${Math.max(1, max)} }), or lower hidden (${c.hidden}), layers (${c.layers}) or mlpLayers (${c.mlpLayers})`;
  throw new HeapBudgetError(`${what}; ${fix}`);
}
