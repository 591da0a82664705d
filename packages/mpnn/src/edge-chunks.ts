/**
 * Training on a graph too big for one pass: the edges are processed in chunks.
 *
 * Only the edge state is E-sized; node, global and pooled states are N, G or N×hidden.
 * Every per-edge computation of a GN block depends on the other edges only through sums
 * (messages into a node, edges of a graph, the graph head's edge pool), so a layer is
 * computed chunk by chunk with those sums accumulated, then finished on the small states.
 * The backward pass walks the layers in reverse and recomputes each chunk's part with the
 * tape on, from the edge state kept in host memory between layers (E × hidden floats per
 * layer), with the gradients of the sums as upstream gradients. Peak device memory is that
 * of one chunk's part of one layer, not of the whole model on the whole graph.
 */
import { createRng, tf } from '@metanet/tensor';
import type { GMN } from './gmn';
import type { GraphTensors } from './graph-tensors';
import { InvalidConfigError, NonFiniteLossError } from './errors';
import { aggregateFromPool } from './layers/aggregate';
import { addGradient, addInto } from './nn/grad-sum';
import type { ForwardContext } from './layers/options';
import type { MetaLayer } from './layers/meta-layer';

/** The loss of an edge-chunked step: a graph-level part and a per-edge part summed over chunks. */
export interface EdgeChunkedLoss {
  /** Loss on the graph-level output (G × graphOutputs). */
  graph?: (graphOutput: tf.Tensor2D) => tf.Scalar;
  /** Loss on the edge outputs of edges [start, end); the step sums it over the chunks. */
  edge?: (edgeOutput: tf.Tensor2D, start: number, end: number) => tf.Scalar;
}

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

type Stage = (xs: tf.Tensor[]) => tf.Scalar;

/**
 * Gradients of stage(xs) with respect to xs and the model's variables. Variable gradients
 * are added into `sums`; the input gradients are returned (null where there is none).
 */
function backwardStage(stage: Stage, xs: tf.Tensor[], vars: readonly tf.Variable[], sums: Map<string, tf.Tensor>): { value: number; grads: (tf.Tensor | null)[] } {
  const { value, grads } = tf.engine().gradients(() => stage(xs), [...xs, ...vars], undefined, true);
  const v = value.dataSync()[0]!;
  value.dispose();
  grads.slice(xs.length).forEach((g, i) => {
    if (g !== null && g !== undefined) addGradient(sums, vars[i]!.name, g);
  });
  // Inputs the stage does not depend on get no gradient (undefined or null from the engine).
  return { value: v, grads: grads.slice(0, xs.length).map((g) => g ?? null) };
}

/** Σ(a ⊙ b) over all elements, for a null upstream gradient 0. */
function dot(a: tf.Tensor, b: tf.Tensor | null): tf.Scalar {
  return b === null ? tf.scalar(0) : tf.sum(tf.mul(a, b));
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
  return runByEdges(model, graph, { training: true, ...options }, { kind: 'train', optimizer, loss }) as number;
}

/** Outputs of `applyByEdges`: the graph-level output on the device, the edge outputs in host memory. */
export interface EdgeChunkedOutput {
  /** G × graphOutputs, or null without a graph head. Dispose it when done. */
  graph: tf.Tensor2D | null;
  /** E × edgeOutputs, row-major, or null without an edge head. */
  edge: Float32Array | null;
}

/**
 * GMN#apply for a graph too big for one pass: the same outputs (up to float rounding,
 * tested), computed in edge chunks with two layers' edge state in host memory. Dropout is
 * off unless `training` is set.
 */
export function applyByEdges(model: GMN, graph: GraphTensors, options: EdgeChunkOptions): EdgeChunkedOutput {
  checkChunking(model, options.maxEdgesPerChunk);
  return runByEdges(model, graph, { training: false, ...options }, { kind: 'apply' }) as EdgeChunkedOutput;
}

function checkChunking(model: GMN, size: number): void {
  if (!Number.isInteger(size) || size <= 0) throw new InvalidConfigError(`maxEdgesPerChunk=${size}; use a positive integer`);
  if (model.config.aggregation === 'max') {
    throw new InvalidConfigError("edge chunks need a decomposable aggregation; use aggregation 'sum' or 'mean' (max is not supported)");
  }
}

type Job = { kind: 'train'; optimizer: tf.Optimizer; loss: EdgeChunkedLoss } | { kind: 'apply' };

function runByEdges(model: GMN, graph: GraphTensors, options: EdgeChunkOptions, job: Job): number | EdgeChunkedOutput {
  const c = model.config;
  const size = options.maxEdgesPerChunk;
  const training = options.training ?? true;
  const seed = options.seed ?? 0;
  const H = c.hidden;
  const E = graph.numEdges;
  const N = graph.numNodes;
  const G = graph.numGraphs;
  const L = model.layers.length;
  const how = c.aggregation;
  const vars = model.trainableVariables;
  // Every stage gets its own dropout stream, identical in the forward pass and the recomputation.
  const ctxFor = (part: number, layer: number, chunk: number): ForwardContext => {
    const rng = createRng(((seed * 1_000_003 + part) * 10_007 + layer) * 1_000_033 + chunk);
    return { training, nextSeed: () => rng.next() };
  };
  const ranges: [number, number][] = [];
  for (let a = 0; a < E; a += size) ranges.push([a, Math.min(E, a + size)]);
  // One chunk's sliced inputs at a time (every pass walks the chunks in order).
  const host = hostEdges(graph);
  let cached: { k: number; g: GraphTensors } | null = null;
  const sliceOf = (k: number): GraphTensors => {
    if (cached !== null && cached.k === k) return cached.g;
    cached?.g.dispose();
    const [a, b] = ranges[k]!;
    cached = { k, g: edgeSlice(graph, host, a, b) };
    return cached.g;
  };
  /** Host copies of the edge state entering each layer (index L: after the last one). */
  const edgeState: Float32Array[] = [];
  const upload = (l: number, k: number): tf.Tensor2D => {
    const [a, b] = ranges[k]!;
    return tf.tensor2d(edgeState[l]!.subarray(a * H, b * H), [b - a, H]);
  };
  const small: tf.Tensor[] = [];
  const sums = new Map<string, tf.Tensor>();

  /** One chunk's part of layer l: MetaLayer's per-edge phase on the chunk's edges. */
  const layerChunk = (layer: MetaLayer, l: number, k: number, v: tf.Tensor2D, e: tf.Tensor2D, u: tf.Tensor2D) => {
    const r = layer.edgePhase(sliceOf(k), { v, e, u }, ctxFor(1, l, k), ctxFor(2, l, k));
    return { e2: r.e, messages: r.pools.messages, edgePool: r.pools.edges };
  };

  /** Layer l's node/global phase from the pools accumulated over the chunks. */
  const layerFinish = (layer: MetaLayer, l: number, v: tf.Tensor2D, u: tf.Tensor2D, messages: tf.Tensor2D | null, edgePool: tf.Tensor2D | null) => {
    const r = layer.nodePhase(graph, { v, u }, { messages, edges: edgePool }, ctxFor(3, l, 0), ctxFor(4, l, 0));
    return { v2: r.v, u2: r.u };
  };

  /** The graph head's per-chunk edge pool Σ φ_e(e) per graph, and its readout from the total. */
  const headPool = (k: number, e: tf.Tensor2D): tf.Tensor2D => model.graphHead!.edgeSum(sliceOf(k), e);
  const headFinish = (v: tf.Tensor2D, u: tf.Tensor2D, pool: tf.Tensor2D): tf.Tensor2D =>
    model.graphHead!.readout(graph, v, aggregateFromPool(pool, graph.edgesPerGraph, how), u, ctxFor(5, 0, 0));

  let total = 0;
  try {
    // Forward, without the tape: the edge state goes to host memory, the small states stay.
    const vs: tf.Tensor2D[] = [];
    const us: tf.Tensor2D[] = [];
    const msgSums: (tf.Tensor2D | null)[] = [];
    const poolSums: (tf.Tensor2D | null)[] = [];
    edgeState.push(new Float32Array(E * H));
    ranges.forEach((_r, k) => {
      const gc = sliceOf(k);
      const [ev, ee, eu] = tf.tidy(() => {
        const st = model.encode(gc);
        return [st.v, st.e, st.u];
      }) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      if (k === 0) {
        vs.push(ev);
        us.push(eu);
      } else tf.dispose([ev, eu]);
      edgeState[0]!.set(ee.dataSync(), ranges[k]![0] * H);
      ee.dispose();
    });
    if (ranges.length === 0) {
      const enc = model.encode(graph);
      vs.push(enc.v);
      us.push(enc.u);
      enc.e.dispose();
    }
    small.push(vs[0]!, us[0]!);
    model.layers.forEach((layer, l) => {
      const next = new Float32Array(E * H);
      let messages: tf.Tensor2D | null = null;
      let edgePool: tf.Tensor2D | null = null;
      ranges.forEach((_r, k) => {
        const part = tf.tidy(() => {
          const e = upload(l, k);
          const r = layerChunk(layer, l, k, vs[l]!, e, us[l]!);
          return [r.e2, ...(r.messages !== null ? [r.messages] : []), ...(r.edgePool !== null ? [r.edgePool] : [])];
        }) as tf.Tensor2D[];
        next.set(part[0]!.dataSync(), ranges[k]![0] * H);
        part[0]!.dispose();
        let p = 1;
        if (layer.nodeModel !== null) messages = addInto(messages, part[p++]!) as tf.Tensor2D | null;
        if (layer.globalModel !== null) edgePool = addInto(edgePool, part[p++]!) as tf.Tensor2D | null;
      });
      if (layer.nodeModel !== null && messages === null) messages = tf.zeros([N, H]);
      if (layer.globalModel !== null && edgePool === null) edgePool = tf.zeros([G, H]);
      edgeState.push(next);
      if (job.kind === 'apply') edgeState[l] = new Float32Array(0); // only the latest state is read again
      const [v2, u2] = tf.tidy(() => {
        const r = layerFinish(layer, l, vs[l]!, us[l]!, messages, edgePool);
        return [r.v2, r.u2];
      }) as [tf.Tensor2D, tf.Tensor2D];
      msgSums.push(messages);
      poolSums.push(edgePool);
      if (messages !== null) small.push(messages);
      if (edgePool !== null) small.push(edgePool);
      vs.push(v2 === vs[l] ? (tf.clone(v2) as tf.Tensor2D) : v2);
      us.push(u2 === us[l] ? (tf.clone(u2) as tf.Tensor2D) : u2);
      small.push(vs[l + 1]!, us[l + 1]!);
    });
    let headPoolSum: tf.Tensor2D | null = null;
    const wantGraph = job.kind === 'apply' ? model.graphHead !== null : job.loss.graph !== undefined;
    if (wantGraph) {
      ranges.forEach((_r, k) => {
        const p = tf.tidy(() => headPool(k, upload(L, k)));
        headPoolSum = addInto(headPoolSum, p) as tf.Tensor2D | null;
      });
      headPoolSum ??= tf.zeros([G, H]);
      small.push(headPoolSum);
    }

    if (job.kind === 'apply') {
      const graphOut = headPoolSum !== null ? tf.tidy(() => headFinish(vs[L]!, us[L]!, headPoolSum!)) : null;
      let edgeOut: Float32Array | null = null;
      if (model.edgeHead !== null) {
        const k = c.edgeOutputs;
        edgeOut = new Float32Array(E * k);
        ranges.forEach((_r, j) => {
          const gc = sliceOf(j);
          const out = tf.tidy(() => model.edgeHead!.forward(gc, vs[L]!, upload(L, j), us[L]!, ctxFor(6, 0, j)));
          edgeOut!.set(out.dataSync(), ranges[j]![0] * k);
          out.dispose();
        });
      }
      return { graph: graphOut, edge: edgeOut };
    }
    const { loss, optimizer } = job;

    // Backward, layer by layer in reverse, recomputing each chunk's part with the tape on.
    let dv: tf.Tensor | null = null;
    let du: tf.Tensor | null = null;
    let dEdges: Float32Array | null = null; // d loss / d edge state entering the current stage
    const downloadInto = (target: Float32Array, k: number, g: tf.Tensor | null) => {
      if (g !== null) target.set(g.dataSync(), ranges[k]![0] * H);
    };
    // Heads.
    const dTop = new Float32Array(E * H);
    if (loss.graph !== undefined) {
      const pool = headPoolSum!;
      const r = backwardStage(([v, u, p]) => loss.graph!(headFinish(v as tf.Tensor2D, u as tf.Tensor2D, p as tf.Tensor2D)), [vs[L]!, us[L]!, pool], vars, sums);
      total += r.value;
      dv = addInto(dv, r.grads[0]!);
      du = addInto(du, r.grads[1]!);
      const dPool = r.grads[2] ?? null;
      ranges.forEach((_r, k) => {
        const e = upload(L, k);
        let edgeLoss = 0;
        const rk = backwardStage(
          ([v, u, x]) =>
            tf.tidy(() => {
              const parts: tf.Scalar[] = [dot(headPool(k, x as tf.Tensor2D), dPool)];
              if (loss.edge !== undefined) {
                const out = model.edgeHead!.forward(sliceOf(k), v as tf.Tensor2D, x as tf.Tensor2D, u as tf.Tensor2D, ctxFor(6, 0, k));
                const le = loss.edge(out, ranges[k]![0], ranges[k]![1]);
                edgeLoss = le.dataSync()[0]!;
                parts.push(le);
              }
              return parts.reduce((a, b) => tf.add(a, b)) as tf.Scalar;
            }),
          [vs[L]!, us[L]!, e],
          vars,
          sums,
        );
        // The stage's value also holds the pool's upstream term, which is not part of the loss.
        total += edgeLoss;
        dv = addInto(dv, rk.grads[0]!);
        du = addInto(du, rk.grads[1]!);
        downloadInto(dTop, k, rk.grads[2]!);
        tf.dispose([e, rk.grads[2]!].filter((t): t is tf.Tensor => t !== null));
      });
      dPool?.dispose();
    } else {
      ranges.forEach((_r, k) => {
        const e = upload(L, k);
        const rk = backwardStage(
          ([v, u, x]) => loss.edge!(model.edgeHead!.forward(sliceOf(k), v as tf.Tensor2D, x as tf.Tensor2D, u as tf.Tensor2D, ctxFor(6, 0, k)), ranges[k]![0], ranges[k]![1]),
          [vs[L]!, us[L]!, e],
          vars,
          sums,
        );
        total += rk.value;
        dv = addInto(dv, rk.grads[0]!);
        du = addInto(du, rk.grads[1]!);
        downloadInto(dTop, k, rk.grads[2]!);
        tf.dispose([e, rk.grads[2]!].filter((t): t is tf.Tensor => t !== null));
      });
    }
    dEdges = dTop;
    // Layers.
    for (let l = L - 1; l >= 0; l--) {
      const layer = model.layers[l]!;
      const messages = msgSums[l]!;
      const edgePool = poolSums[l]!;
      const dvNext = dv;
      const duNext = du;
      const xs = [vs[l]!, us[l]!, ...(messages !== null ? [messages] : []), ...(edgePool !== null ? [edgePool] : [])];
      const r = backwardStage(
        (ins) => {
          const m = messages !== null ? (ins[2] as tf.Tensor2D) : null;
          const p = edgePool !== null ? (ins[messages !== null ? 3 : 2] as tf.Tensor2D) : null;
          const { v2, u2 } = layerFinish(layer, l, ins[0] as tf.Tensor2D, ins[1] as tf.Tensor2D, m, p);
          return tf.add(dot(v2, dvNext), dot(u2, duNext)) as tf.Scalar;
        },
        xs,
        vars,
        sums,
      );
      tf.dispose([dvNext, duNext].filter((t): t is tf.Tensor => t !== null));
      dv = r.grads[0] ?? null;
      du = r.grads[1] ?? null;
      const dMessages = messages !== null ? (r.grads[2] ?? null) : null;
      const dPool = edgePool !== null ? (r.grads[messages !== null ? 3 : 2] ?? null) : null;
      const dPrev = new Float32Array(E * H);
      const dOut = dEdges;
      ranges.forEach((_r, k) => {
        const [a, b] = ranges[k]!;
        const e = upload(l, k);
        const de2 = tf.tensor2d(dOut.subarray(a * H, b * H), [b - a, H]);
        const rk = backwardStage(
          ([v, u, x]) =>
            tf.tidy(() => {
              const part = layerChunk(layer, l, k, v as tf.Tensor2D, x as tf.Tensor2D, u as tf.Tensor2D);
              let s = dot(part.e2, de2);
              if (part.messages !== null) s = tf.add(s, dot(part.messages, dMessages)) as tf.Scalar;
              if (part.edgePool !== null) s = tf.add(s, dot(part.edgePool, dPool)) as tf.Scalar;
              return s;
            }),
          [vs[l]!, us[l]!, e],
          vars,
          sums,
        );
        dv = addInto(dv, rk.grads[0]!);
        du = addInto(du, rk.grads[1]!);
        downloadInto(dPrev, k, rk.grads[2]!);
        tf.dispose([e, de2, rk.grads[2]!].filter((t): t is tf.Tensor => t !== null));
      });
      tf.dispose([dMessages, dPool].filter((t): t is tf.Tensor => t !== null));
      dEdges = dPrev;
    }
    // Encoder: v and u once (from the first chunk's encoding), e per chunk.
    const dvEnc = dv;
    const duEnc = du;
    const dIn = dEdges;
    if (ranges.length === 0) {
      backwardStage(() => tf.tidy(() => { const enc = model.encode(graph); return tf.add(dot(enc.v, dvEnc), dot(enc.u, duEnc)) as tf.Scalar; }), [], vars, sums);
    }
    ranges.forEach((_r, k) => {
      const gc = sliceOf(k);
      const [a, b] = ranges[k]!;
      const de = tf.tensor2d(dIn.subarray(a * H, b * H), [b - a, H]);
      backwardStage(
        () =>
          tf.tidy(() => {
            const enc = model.encode(gc);
            let s = dot(enc.e, de);
            if (k === 0) s = tf.add(s, tf.add(dot(enc.v, dvEnc), dot(enc.u, duEnc))) as tf.Scalar;
            return s;
          }),
        [],
        vars,
        sums,
      );
      de.dispose();
    });
    tf.dispose([dvEnc, duEnc].filter((t): t is tf.Tensor => t !== null));
    if (!Number.isFinite(total)) {
      throw new NonFiniteLossError(`loss is ${total} at step ${options.step ?? '?'}; lower the learning rate or check the inputs (weights not updated)`);
    }
    optimizer.applyGradients(Object.fromEntries(sums) as tf.NamedTensorMap);
  } finally {
    for (const g of sums.values()) g.dispose();
    tf.dispose(small);
    (cached as { g: GraphTensors } | null)?.g.dispose();
  }
  return total;
}
