import { tf } from '@metanet/tensor';
import type { EdgePools } from '../layers/meta-layer';
import { addGradient, addInto } from '../nn/grad-sum';
import { STAGE, type ChunkRun } from './chunk-run';
import { edgeOutputs, graphReadout, headEdgeSum, type ForwardPass } from './forward';
import type { EdgeChunkedLoss } from './loss';

/** Variable name → its gradient summed over the stages so far. */
export type GradientSums = Map<string, tf.Tensor>;

/** d loss / d(v, u) entering a stage, and d loss / d(edge state) in host memory. */
interface Upstream {
  dv: tf.Tensor | null;
  du: tf.Tensor | null;
  dEdges: Float32Array;
}

const present = (ts: (tf.Tensor | null)[]): tf.Tensor[] => ts.filter((t): t is tf.Tensor => t !== null);

/**
 * Gradients of stage(xs) with respect to xs and the model's variables. Variable gradients
 * are added into `sums`; the input gradients are returned (null where there is none).
 */
function backwardStage(run: ChunkRun, stage: (xs: tf.Tensor[]) => tf.Scalar, xs: tf.Tensor[], sums: GradientSums): { value: number; grads: (tf.Tensor | null)[] } {
  const vars = run.vars;
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
 * The backward pass over a forward pass's states, layer by layer in reverse, recomputing each
 * chunk's part with the tape on and taking the gradients of the pools as upstream gradients.
 * Adds every variable's gradient into `sums`; returns the loss.
 */
export function backwardByEdges(run: ChunkRun, pass: ForwardPass, loss: EdgeChunkedLoss, sums: GradientSums): number {
  const heads = headsBackward(run, pass, loss, sums);
  let up = heads.upstream;
  for (let l = run.model.layers.length - 1; l >= 0; l--) up = layerBackward(run, l, pass, up, sums);
  encoderBackward(run, up, sums);
  return heads.loss;
}

/** The heads: the graph readout once, then per chunk the head's edge pool and the edge loss. */
function headsBackward(run: ChunkRun, pass: ForwardPass, loss: EdgeChunkedLoss, sums: GradientSums): { loss: number; upstream: Upstream } {
  const L = run.model.layers.length;
  let total = 0;
  let dv: tf.Tensor | null = null;
  let du: tf.Tensor | null = null;
  let dPool: tf.Tensor | null = null;
  if (loss.graph !== undefined) {
    const readout = ([v, u, p]: tf.Tensor[]) => loss.graph!(graphReadout(run, v as tf.Tensor2D, u as tf.Tensor2D, p as tf.Tensor2D));
    const r = backwardStage(run, readout, [pass.vs[L]!, pass.us[L]!, pass.headPool!], sums);
    total += r.value;
    dv = addInto(dv, r.grads[0]!);
    du = addInto(du, r.grads[1]!);
    dPool = r.grads[2] ?? null;
  }
  const dEdges = run.edgeArray();
  run.ranges.forEach(([a, b], k) => {
    const e = run.rows(run.edgeState[L]!, k);
    let edgeLoss = 0;
    const stage = ([v, u, x]: tf.Tensor[]) =>
      tf.tidy(() => {
        const parts: tf.Scalar[] = [];
        if (loss.graph !== undefined) parts.push(dot(headEdgeSum(run, k, x as tf.Tensor2D), dPool));
        if (loss.edge !== undefined) {
          const le = loss.edge(edgeOutputs(run, k, v as tf.Tensor2D, x as tf.Tensor2D, u as tf.Tensor2D), a, b);
          if (loss.graph !== undefined) edgeLoss = le.dataSync()[0]!;
          parts.push(le);
        }
        return parts.reduce((s, p) => tf.add(s, p)) as tf.Scalar;
      });
    const rk = backwardStage(run, stage, [pass.vs[L]!, pass.us[L]!, e], sums);
    // With a graph loss the stage's value also holds the pool's upstream term, which is not part of the loss.
    total += loss.graph !== undefined ? edgeLoss : rk.value;
    dv = addInto(dv, rk.grads[0]!);
    du = addInto(du, rk.grads[1]!);
    run.store(dEdges, k, rk.grads[2]!);
    tf.dispose(present([e, rk.grads[2]!]));
  });
  dPool?.dispose();
  return { loss: total, upstream: { dv, du, dEdges } };
}

/** Layer l: its node/global phase once, then its per-edge phase chunk by chunk. */
function layerBackward(run: ChunkRun, l: number, pass: ForwardPass, up: Upstream, sums: GradientSums): Upstream {
  const layer = run.model.layers[l]!;
  const pools = pass.pools[l]!;
  // The pools that exist, in a fixed order, as stage inputs and back.
  const poolsOf = (xs: (tf.Tensor | null)[]): EdgePools => {
    let i = 0;
    return { messages: pools.messages !== null ? (xs[i++] as tf.Tensor2D | null) : null, edges: pools.edges !== null ? (xs[i++] as tf.Tensor2D | null) : null };
  };
  const nodeStage = (ins: tf.Tensor[]) => {
    const ctx = run.ctx(STAGE.node, l, 0);
    const out = layer.nodePhase(run.graph, { v: ins[0] as tf.Tensor2D, u: ins[1] as tf.Tensor2D }, poolsOf(ins.slice(2)), ctx, run.ctx(STAGE.global, l, 0));
    return tf.add(dot(out.v, up.dv), dot(out.u, up.du)) as tf.Scalar;
  };
  const r = backwardStage(run, nodeStage, [pass.vs[l]!, pass.us[l]!, ...present([pools.messages, pools.edges])], sums);
  tf.dispose(present([up.dv, up.du]));
  let dv = r.grads[0] ?? null;
  let du = r.grads[1] ?? null;
  const dPools = poolsOf(r.grads.slice(2));
  const dPrev = run.edgeArray();
  run.ranges.forEach((_r, k) => {
    const e = run.rows(run.edgeState[l]!, k);
    const de = run.rows(up.dEdges, k);
    const edgeStage = ([v, u, x]: tf.Tensor[]) =>
      tf.tidy(() => {
        const state = { v: v as tf.Tensor2D, e: x as tf.Tensor2D, u: u as tf.Tensor2D };
        const p = layer.edgePhase(run.slice(k), state, run.ctx(STAGE.edge, l, k), run.ctx(STAGE.message, l, k));
        let s = dot(p.e, de);
        if (p.pools.messages !== null) s = tf.add(s, dot(p.pools.messages, dPools.messages)) as tf.Scalar;
        if (p.pools.edges !== null) s = tf.add(s, dot(p.pools.edges, dPools.edges)) as tf.Scalar;
        return s;
      });
    const rk = backwardStage(run, edgeStage, [pass.vs[l]!, pass.us[l]!, e], sums);
    dv = addInto(dv, rk.grads[0]!);
    du = addInto(du, rk.grads[1]!);
    run.store(dPrev, k, rk.grads[2]!);
    tf.dispose(present([e, de, rk.grads[2]!]));
  });
  tf.dispose(present([dPools.messages, dPools.edges]));
  return { dv, du, dEdges: dPrev };
}

/** The encoder: e per chunk, v and u once (with the first chunk, whose encoding gave them). */
function encoderBackward(run: ChunkRun, up: Upstream, sums: GradientSums): void {
  run.ranges.forEach((_r, k) => {
    const de = run.rows(up.dEdges, k);
    const stage = () =>
      tf.tidy(() => {
        const enc = run.model.encode(run.slice(k));
        let s = dot(enc.e, de);
        if (k === 0) s = tf.add(s, tf.add(dot(enc.v, up.dv), dot(enc.u, up.du))) as tf.Scalar;
        return s;
      });
    backwardStage(run, stage, [], sums);
    de.dispose();
  });
  tf.dispose(present([up.dv, up.du]));
}
