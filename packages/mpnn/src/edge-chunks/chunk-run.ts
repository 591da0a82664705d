import { createRng, tf } from '@metanet/tensor';
import type { GMN } from '../gmn';
import type { GraphTensors } from '../graph-tensors';
import type { ForwardContext } from '../layers/options';

/** Host copies of a graph's per-edge inputs, read once so that chunks upload by memcpy. */
interface HostEdges {
  source: Int32Array;
  target: Int32Array;
  edgeGraph: Int32Array;
  edgeCategory: Int32Array;
  values: Float32Array;
  valueWidth: number;
}

function hostEdges(g: GraphTensors): HostEdges {
  return {
    source: g.source.dataSync() as Int32Array,
    target: g.target.dataSync() as Int32Array,
    edgeGraph: g.edgeGraph.dataSync() as Int32Array,
    edgeCategory: g.edgeCategory.dataSync() as Int32Array,
    values: g.edgeValueInput.dataSync() as Float32Array,
    valueWidth: g.edgeValueInput.shape[1],
  };
}

/**
 * The edges [start, end) of g as a GraphTensors of their own, uploaded from host copies (the
 * wasm backend's Slice kernel moves about 100 MB/s, a memcpy several GB/s); node and graph
 * tensors are shared. Its tensors are kept (they outlive any tidy or tape scope they are
 * made in) until its dispose().
 */
function edgeSlice(g: GraphTensors, host: HostEdges, start: number, end: number): GraphTensors {
  const n = end - start;
  const w = host.valueWidth;
  const own = {
    source: tf.keep(tf.tensor1d(host.source.subarray(start, end), 'int32')),
    target: tf.keep(tf.tensor1d(host.target.subarray(start, end), 'int32')),
    edgeGraph: tf.keep(tf.tensor1d(host.edgeGraph.subarray(start, end), 'int32')),
    edgeValueInput: tf.keep(tf.tensor2d(host.values.subarray(start * w, end * w), [n, w])),
    edgeCategory: tf.keep(tf.tensor1d(host.edgeCategory.subarray(start, end), 'int32')),
  };
  return {
    ...g,
    ...own,
    numEdges: n,
    dispose: () => tf.dispose(Object.values(own)),
  };
}

/** The stages that draw dropout masks, each from its own stream per layer and chunk. */
export const STAGE = { edge: 1, message: 2, node: 3, global: 4, graphHead: 5, edgeHead: 6 } as const;
export type Stage = (typeof STAGE)[keyof typeof STAGE];

/**
 * One pass of a model over a graph's edges in chunks: the chunk ranges, each chunk's inputs
 * (uploaded one chunk at a time: every pass walks the chunks in order), the E-sized edge
 * state in host memory between layers, the small tensors kept for the backward pass, and the
 * dropout stream of every stage.
 */
export class ChunkRun {
  /** [start, end) of each chunk; one empty chunk for a graph without edges. */
  readonly ranges: [number, number][] = [];
  /** Edge feature width (the model's hidden width). */
  readonly width: number;
  /** Host copies of the edge state entering each layer (index L: after the last one). */
  readonly edgeState: Float32Array[] = [];
  readonly vars: readonly tf.Variable[];
  private readonly host: HostEdges;
  private readonly kept: tf.Tensor[] = [];
  private cached: { k: number; g: GraphTensors } | null = null;

  constructor(
    readonly model: GMN,
    readonly graph: GraphTensors,
    maxEdgesPerChunk: number,
    private readonly training: boolean,
    private readonly seed: number,
  ) {
    const E = graph.numEdges;
    for (let a = 0; a < E; a += maxEdgesPerChunk) this.ranges.push([a, Math.min(E, a + maxEdgesPerChunk)]);
    if (E === 0) this.ranges.push([0, 0]);
    this.width = model.config.hidden;
    this.vars = model.trainableVariables;
    this.host = hostEdges(graph);
  }

  /** The dropout context of one stage, identical in the forward pass and the recomputation. */
  ctx(stage: Stage, layer: number, chunk: number): ForwardContext {
    const rng = createRng(((this.seed * 1_000_003 + stage) * 10_007 + layer) * 1_000_033 + chunk);
    return { training: this.training, nextSeed: () => rng.next() };
  }

  /** Chunk k's edges as a GraphTensors of their own (see edgeSlice). */
  slice(k: number): GraphTensors {
    if (this.cached !== null && this.cached.k === k) return this.cached.g;
    this.cached?.g.dispose();
    const [a, b] = this.ranges[k]!;
    this.cached = { k, g: edgeSlice(this.graph, this.host, a, b) };
    return this.cached.g;
  }

  /** Chunk k's rows of an E × width host array, uploaded. */
  rows(from: Float32Array, k: number): tf.Tensor2D {
    const [a, b] = this.ranges[k]!;
    return tf.tensor2d(from.subarray(a * this.width, b * this.width), [b - a, this.width]);
  }

  /** Writes chunk k's rows (nothing for null) into an E × width host array. */
  store(into: Float32Array, k: number, rows: tf.Tensor | null): void {
    if (rows !== null) into.set(rows.dataSync(), this.ranges[k]![0] * this.width);
  }

  /** A new E × width host array. */
  edgeArray(): Float32Array {
    return new Float32Array(this.graph.numEdges * this.width);
  }

  /** Keeps small tensors (N- or G-sized) until the run ends. */
  keep(...tensors: (tf.Tensor | null)[]): void {
    for (const t of tensors) if (t !== null) this.kept.push(t);
  }

  dispose(): void {
    tf.dispose(this.kept);
    this.cached?.g.dispose();
    this.cached = null;
  }
}

/**
 * tf.tidy for results typed as interfaces, or holding null where a tensor is absent: tidy keeps
 * every tensor in them and skips the nulls, but its types allow neither.
 */
export function tidied<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}
