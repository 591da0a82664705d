import * as tf from '@tensorflow/tfjs-core';
import { GatherSumAct, toAttrs, type GatherSumActAttrs } from '../kernels/gather-sum-act';
import { GatherSumActGrad, type GatherSumActGradAttrs } from '../kernels/gather-sum-act-grad';
import { registerOverrides } from '../kernels/register';
import { LEAKY_ALPHA, actCode, applyActivation, type Activation } from './activation';

/** One gathered term: rows of `table` picked by `index` (int32, one entry per output row). */
export interface GatherTerm {
  table: tf.Tensor2D;
  index: tf.Tensor1D;
}

/** Arguments of the fused gather, add, bias and activation op of message passing. */
export interface GatherSumActArgs {
  /** Per-row term (E×H), e.g. C·e. Optional. */
  base?: tf.Tensor2D;
  /** Gathered terms, e.g. A·v projected on nodes and gathered by target. */
  terms: readonly GatherTerm[];
  /** Number of output rows E (= base rows, = index lengths). */
  numRows: number;
  activation: Activation;
  /** Use stock tf ops with autograd instead of the fused kernel (reference and non-wasm/cpu backends). */
  reference?: boolean;
}

/**
 * Whether the fused kernels serve the active backend. They are registered with the
 * other kernels by initBackend(); this registers them too for a caller that chose
 * the backend with tf.setBackend. Off wasm and cpu, or while setOverridesEnabled(false)
 * holds, the stock-ops reference path runs.
 */
function fusedKernelsAvailable(): boolean {
  const name = tf.getBackend();
  if (tf.getKernel(GatherSumAct, name) !== undefined) return true;
  if (name !== 'wasm' && name !== 'cpu') return false;
  registerOverrides();
  return tf.getKernel(GatherSumAct, name) !== undefined;
}

/**
 * y = act(base + Σ_k table_k[index_k]), fused in one pass forward and one backward.
 *
 * This is the first layer of an edge MLP over [v_i, v_j, e, u] written as
 * A·v_i + B·v_j + C·e + D·u[graph]: the node and graph projections are computed on
 * N (or G) rows and only gathered here, never concatenated per edge.
 */
export function gatherSumAct(args: GatherSumActArgs): tf.Tensor2D {
  if (args.reference === true || !fusedKernelsAvailable()) return referenceForward(args);
  return fused(args, null);
}

/**
 * Σ_{e: segIds[e]=s} act(base + Σ_k table_k[index_k]) for each segment s: the same
 * fused pass, with a scatter-add of each row into its segment (S×H output). The
 * per-row activations are kept only for the backward mask.
 */
export function gatherSumActSegmentSum(
  args: GatherSumActArgs & { segIds: tf.Tensor1D; numSegments: number },
): tf.Tensor2D {
  if (args.reference === true || !fusedKernelsAvailable()) {
    return tf.tidy(() => tf.unsortedSegmentSum(referenceForward(args), args.segIds, args.numSegments));
  }
  return fused(args, { segIds: args.segIds, numSegments: args.numSegments });
}

function referenceForward(args: GatherSumActArgs): tf.Tensor2D {
  return tf.tidy(() => {
    let acc: tf.Tensor2D | null = args.base ?? null;
    for (const t of args.terms) {
      const g = tf.gather(t.table, t.index, 0) as tf.Tensor2D;
      acc = acc === null ? g : (tf.add(acc, g) as tf.Tensor2D);
    }
    if (acc === null) throw new Error('gatherSumAct needs a base or at least one term');
    return applyActivation(acc, args.activation);
  });
}

function fused(args: GatherSumActArgs, reduce: { segIds: tf.Tensor1D; numSegments: number } | null): tf.Tensor2D {
  const { base, terms, numRows, activation } = args;
  const k = terms.length;
  const width = base?.shape[1] ?? terms[0]?.table.shape[1];
  if (width === undefined) throw new Error('gatherSumAct needs a base or at least one term');
  const act = actCode(activation);
  const tableRows = terms.map((t) => t.table.shape[0]);
  const indices = terms.map((t) => t.index);
  const hasBase = base !== undefined;
  const differentiable: tf.Tensor[] = [...(hasBase ? [base] : []), ...terms.map((t) => t.table)];
  // customGrad, not a registered GradConfig: with the reduction the kernel has two
  // outputs (y, agg) and only agg reaches the caller, and the engine would allocate
  // an E×H zero gradient for y before calling a GradConfig.
  const op = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = inputs[inputs.length - 1] as tf.GradSaveFunc;
    const ins = inputs.slice(0, -1) as tf.Tensor[];
    const kernelInputs = [...ins, ...indices, ...(reduce !== null ? [reduce.segIds] : [])];
    const outs = tf.engine().runKernel(
      GatherSumAct,
      kernelInputs as unknown as tf.NamedTensorMap,
      toAttrs<GatherSumActAttrs>({
        hasBase,
        numTerms: k,
        numRows,
        width,
        act,
        alpha: LEAKY_ALPHA,
        numSegments: reduce !== null ? reduce.numSegments : -1,
      }),
    ) as tf.Tensor[];
    const y = outs[0]!;
    // The identity needs no mask, so nothing per-row is kept for it.
    save(act !== 0 ? [y] : []);
    const value = reduce !== null ? outs[1]! : y;
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const bwdInputs = [dy, ...saved, ...indices, ...(reduce !== null ? [reduce.segIds] : [])];
        return tf.engine().runKernel(
          GatherSumActGrad,
          bwdInputs as unknown as tf.NamedTensorMap,
          toAttrs<GatherSumActGradAttrs>({
            numTerms: k,
            tableRows,
            numRows,
            width,
            act,
            alpha: LEAKY_ALPHA,
            reduce: reduce !== null,
            wantBase: hasBase,
          }),
        ) as tf.Tensor[];
      },
    };
  });
  return op(...differentiable) as tf.Tensor2D;
}
