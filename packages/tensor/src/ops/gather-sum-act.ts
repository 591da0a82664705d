import * as tf from '@tensorflow/tfjs-core';
import { GatherSumAct, productFusable, toAttrs, type GatherSumActAttrs } from '../kernels/gather-sum-act';
import { GatherSumActGrad, type GatherSumActGradAttrs } from '../kernels/gather-sum-act-grad';
import { registerOverrides } from '../kernels/register';
import { InvalidTensorArgumentError } from '../errors';
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
  /**
   * A per-row term given as the product x·w (E×K by K×H), e.g. e·C; added like `base`. On wasm
   * with the compiled kernels it is computed inside the fused pass, block by block, bit-identical
   * to `tf.matMul(x, w)` passed as the base but without that E×H tensor; elsewhere (or together
   * with a base) it is that matMul. Optional.
   */
  product?: { x: tf.Tensor2D; w: tf.Tensor2D };
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
  if (args.reference === true || !fusedKernelsAvailable()) return tf.tidy(() => referenceForward(productAsBase(args)));
  return args.product === undefined ? fused(args, null) : tf.tidy(() => fused(fusableArgs(args), null));
}

/** `args` with its product turned into a base (`base + x·w`), for the paths that do not fuse it. */
function productAsBase(args: GatherSumActArgs): GatherSumActArgs {
  const { product, ...rest } = args;
  if (product === undefined) return args;
  const xw = tf.matMul(product.x, product.w) as tf.Tensor2D;
  return { ...rest, base: rest.base === undefined ? xw : (tf.add(rest.base, xw) as tf.Tensor2D) };
}

/** `args` as the fused kernel takes them: a product stays one only where the compiled kernel computes it. */
function fusableArgs(args: GatherSumActArgs): GatherSumActArgs {
  const p = args.product;
  if (p === undefined) return args;
  checkProduct(p, args.numRows, args.terms);
  const [inner, width] = p.w.shape;
  return args.base === undefined && productFusable(args.terms.length, inner, width) ? args : productAsBase(args);
}

function checkProduct(p: NonNullable<GatherSumActArgs['product']>, numRows: number, terms: readonly GatherTerm[]): void {
  const [rows, inner] = p.x.shape;
  const [wInner, width] = p.w.shape;
  const termWidth = terms[0]?.table.shape[1];
  if (p.x.rank !== 2 || p.w.rank !== 2 || rows !== numRows || inner !== wInner || (termWidth !== undefined && termWidth !== width) || p.x.dtype !== 'float32' || p.w.dtype !== 'float32') {
    throw new InvalidTensorArgumentError(
      `gatherSumAct: product x [${p.x.shape.join(', ')}] · w [${p.w.shape.join(', ')}] does not give ${numRows} float32 rows of the terms' width ${termWidth ?? '?'}; pass x of numRows × K and w of K × width`,
    );
  }
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
    return tf.tidy(() => tf.unsortedSegmentSum(referenceForward(productAsBase(args)), args.segIds, args.numSegments));
  }
  const reduce = { segIds: args.segIds, numSegments: args.numSegments };
  return args.product === undefined ? fused(args, reduce) : tf.tidy(() => fused(fusableArgs(args), reduce));
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
  const { base, terms, numRows, activation, product } = args;
  const k = terms.length;
  const width = base?.shape[1] ?? product?.w.shape[1] ?? terms[0]?.table.shape[1];
  if (width === undefined) throw new Error('gatherSumAct needs a base or at least one term');
  const act = actCode(activation);
  const tableRows = terms.map((t) => t.table.shape[0]);
  const indices = terms.map((t) => t.index);
  const hasBase = base !== undefined;
  // A product reaching here is fused (fusableArgs); its x and w come first, as the kernel takes them.
  const productInner = product !== undefined ? product.w.shape[0] : 0;
  const lead: tf.Tensor[] = product !== undefined ? [product.x, product.w] : hasBase ? [base] : [];
  const differentiable: tf.Tensor[] = [...lead, ...terms.map((t) => t.table)];
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
        ...(productInner > 0 ? { productInner } : {}),
      }),
    ) as tf.Tensor[];
    const y = outs[0]!;
    // The identity needs no mask, so nothing per-row is kept for it; a product's backward needs x and w.
    const mask = act !== 0 ? [y] : [];
    save(productInner > 0 ? [...mask, ins[0]!, ins[1]!] : mask);
    const value = reduce !== null ? outs[1]! : y;
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const masks = act !== 0 ? saved.slice(0, 1) : [];
        const bwdInputs = [dy, ...masks, ...indices, ...(reduce !== null ? [reduce.segIds] : [])];
        const grads = tf.engine().runKernel(
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
            wantBase: hasBase || productInner > 0,
          }),
        ) as tf.Tensor[];
        if (productInner === 0) return grads;
        // d(x·w): dx = d·wᵀ, dw = xᵀ·d, from the base's gradient d.
        const [x, w] = saved.slice(masks.length) as [tf.Tensor2D, tf.Tensor2D];
        const d = grads[0] as tf.Tensor2D;
        const dx = tf.matMul(d, w, false, true);
        const dw = tf.matMul(x, d, true, false);
        d.dispose();
        return [dx, dw, ...grads.slice(1)];
      },
    };
  });
  return op(...differentiable) as tf.Tensor2D;
}
