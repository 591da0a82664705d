import { tf } from '@metanet/tensor';
import { aggregateFromPool } from '../layers/aggregate';
import type { EdgePools } from '../layers/meta-layer';
import { addInto } from '../nn/grad-sum';
import { STAGE, tidied, type ChunkRun } from './chunk-run';

/** The forward pass over edge chunks: every small state, the edge state in the run's host memory. */
export interface ForwardPass {
  /** v and u entering each layer (index L: after the last one). */
  vs: tf.Tensor2D[];
  us: tf.Tensor2D[];
  /** Each layer's edge pools, summed over the chunks. */
  pools: EdgePools[];
  /** The graph head's Σ φ_e(e) per graph, or null when the graph output is not wanted. */
  headPool: tf.Tensor2D | null;
}

/**
 * Runs the encoder and every MetaLayer chunk by chunk, without the tape. With
 * `keepEdgeStates` false only the latest layer's edge state stays in host memory (inference).
 */
export function forwardByEdges(run: ChunkRun, options: { keepEdgeStates: boolean; graphPool: boolean }): ForwardPass {
  const { v, u } = encodeByEdges(run);
  const pass: ForwardPass = { vs: [v], us: [u], pools: [], headPool: null };
  run.model.layers.forEach((_layer, l) => {
    const next = layerByEdges(run, l, pass.vs[l]!, pass.us[l]!);
    if (!options.keepEdgeStates) run.edgeState[l] = new Float32Array(0); // only the latest state is read again
    pass.vs.push(next.v);
    pass.us.push(next.u);
    pass.pools.push(next.pools);
  });
  if (options.graphPool) pass.headPool = headPoolByEdges(run);
  return pass;
}

/** The encoded edges into the run's first edge state; v and u from the first chunk's encoding. */
function encodeByEdges(run: ChunkRun): { v: tf.Tensor2D; u: tf.Tensor2D } {
  const state = run.edgeArray();
  run.edgeState.push(state);
  let first: { v: tf.Tensor2D; u: tf.Tensor2D } | null = null;
  for (let k = 0; k < run.ranges.length; k++) {
    const enc = tidied(() => run.model.encode(run.slice(k)));
    if (first === null) first = { v: enc.v, u: enc.u };
    else tf.dispose([enc.v, enc.u]);
    run.store(state, k, enc.e);
    enc.e.dispose();
  }
  const { v, u } = first!;
  run.keep(v, u);
  return { v, u };
}

/**
 * Layer l: MetaLayer's per-edge phase chunk by chunk (the updated edges to host memory, the
 * pools summed), then its node/global phase on the whole graph from the summed pools.
 */
function layerByEdges(run: ChunkRun, l: number, v: tf.Tensor2D, u: tf.Tensor2D): { v: tf.Tensor2D; u: tf.Tensor2D; pools: EdgePools } {
  const layer = run.model.layers[l]!;
  const next = run.edgeArray();
  let messages: tf.Tensor2D | null = null;
  let edges: tf.Tensor2D | null = null;
  for (let k = 0; k < run.ranges.length; k++) {
    const part = tidied(() =>
      layer.edgePhase(run.slice(k), { v, e: run.rows(run.edgeState[l]!, k), u }, run.ctx(STAGE.edge, l, k), run.ctx(STAGE.message, l, k)),
    );
    run.store(next, k, part.e);
    part.e.dispose();
    messages = addInto(messages, part.pools.messages) as tf.Tensor2D | null;
    edges = addInto(edges, part.pools.edges) as tf.Tensor2D | null;
  }
  run.edgeState.push(next);
  const pools: EdgePools = { messages, edges };
  run.keep(messages, edges);
  const out = tidied(() => layer.nodePhase(run.graph, { v, u }, pools, run.ctx(STAGE.node, l, 0), run.ctx(STAGE.global, l, 0)));
  // Each layer's v and u are their own tensors, so that each is disposed once.
  const v2 = out.v === v ? (tf.clone(v) as tf.Tensor2D) : out.v;
  const u2 = out.u === u ? (tf.clone(u) as tf.Tensor2D) : out.u;
  run.keep(v2, u2);
  return { v: v2, u: u2, pools };
}

/** The graph head's per-graph Σ φ_e(e) over the last edge state, chunk by chunk. */
function headPoolByEdges(run: ChunkRun): tf.Tensor2D {
  const L = run.model.layers.length;
  let pool: tf.Tensor2D | null = null;
  for (let k = 0; k < run.ranges.length; k++) {
    const p = tf.tidy(() => headEdgeSum(run, k, run.rows(run.edgeState[L]!, k)));
    pool = addInto(pool, p) as tf.Tensor2D | null;
  }
  run.keep(pool);
  return pool!;
}

/** The graph head's Σ φ_e(e) per graph over chunk k's edges `e`. */
export function headEdgeSum(run: ChunkRun, k: number, e: tf.Tensor2D): tf.Tensor2D {
  return run.model.graphHead!.edgeSum(run.slice(k), e);
}

/** The graph head's output from the summed edge pool (G × graphOutputs). */
export function graphReadout(run: ChunkRun, v: tf.Tensor2D, u: tf.Tensor2D, headPool: tf.Tensor2D): tf.Tensor2D {
  const g = run.graph;
  const pooledEdges = aggregateFromPool(headPool, g.edgesPerGraph, run.model.config.aggregation);
  return run.model.graphHead!.readout(g, v, pooledEdges, u, run.ctx(STAGE.graphHead, 0, 0));
}

/** The edge head's outputs on chunk k of the last edge state `e`. */
export function edgeOutputs(run: ChunkRun, k: number, v: tf.Tensor2D, e: tf.Tensor2D, u: tf.Tensor2D): tf.Tensor2D {
  return run.model.edgeHead!.forward(run.slice(k), v, e, u, run.ctx(STAGE.edgeHead, 0, k));
}

/** The edge head's outputs over every chunk, E × edgeOutputs in host memory (inference). */
export function edgeOutputsByEdges(run: ChunkRun, v: tf.Tensor2D, u: tf.Tensor2D): Float32Array {
  const L = run.model.layers.length;
  const width = run.model.config.edgeOutputs;
  const out = new Float32Array(run.graph.numEdges * width);
  run.ranges.forEach(([a], k) => {
    const y = tf.tidy(() => edgeOutputs(run, k, v, run.rows(run.edgeState[L]!, k), u));
    out.set(y.dataSync(), a * width);
    y.dispose();
  });
  return out;
}
