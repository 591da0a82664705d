/**
 * Typed-array kernels behind `gatherSumAct`, registered on the wasm and cpu backends.
 *
 * Forward: y[e] = act(base[e] + Σ_k P_k[I_k[e]]), optionally also agg[s] = Σ_{e: seg[e]=s} y[e].
 * Backward: g = dY[e] (or dAgg[seg[e]]) ⊙ act'(y[e]); dBase[e] = g; dP_k[I_k[e]] += g.
 * One pass over the E×H rows each way, instead of k gathers, k adds, an activation
 * and a segment sum (each its own pass over E×H memory with stock kernels).
 */
import { tf } from '@metanet/tensor';
import type { KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { runTyped, type KernelBackendName, type OutputSpec } from './typed-access';
import { backwardLoop, forwardLoop } from './gather-sum-act-loops';

export const FORWARD_KERNEL = 'MpnnGatherSumAct';
export const BACKWARD_KERNEL = 'MpnnGatherSumActGrad';

/** 0 = identity, 1 = relu, 2 = leaky relu. */
export type ActCode = 0 | 1 | 2;

export interface ForwardAttrs {
  hasBase: boolean;
  numTerms: number;
  numRows: number;
  width: number;
  act: ActCode;
  alpha: number;
  /** −1: no reduction output. */
  numSegments: number;
}

export interface BackwardAttrs {
  numTerms: number;
  /** Row counts of the gathered tables, one per term. */
  tableRows: number[];
  numRows: number;
  width: number;
  act: ActCode;
  alpha: number;
  /** The incoming gradient is per segment (S×H) rather than per row (E×H). */
  reduce: boolean;
  wantBase: boolean;
}

function forwardImpl(backendName: KernelBackendName): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as ForwardAttrs;
    const list = inputs as unknown as TensorInfo[];
    const { numTerms: k, numRows: E, width: H, act, alpha, numSegments: S, hasBase } = a;
    const outputs: OutputSpec[] = [{ shape: [E, H], dtype: 'float32', zero: false }];
    if (S >= 0) outputs.push({ shape: [S, H], dtype: 'float32', zero: true });
    const loop = forwardLoop({ terms: k, width: H, hasBase, act, reduce: S >= 0 });
    return runTyped(backend as KernelBackend, backendName, list, outputs, (ins, outs) => {
      let p = 0;
      const base = hasBase ? ins[p++]! : null;
      const tables = ins.slice(p, p + k);
      const idx = ins.slice(p + k, p + 2 * k);
      const seg = S >= 0 ? ins[p + 2 * k]! : null;
      loop(base, tables, idx, seg, outs[0]!, S >= 0 ? outs[1]! : null, E, H, alpha);
    });
  };
}

function backwardImpl(backendName: KernelBackendName): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as BackwardAttrs;
    const list = inputs as unknown as TensorInfo[];
    const { numTerms: k, tableRows, numRows: E, width: H, act, alpha, reduce, wantBase } = a;
    const outputs: OutputSpec[] = [];
    if (wantBase) outputs.push({ shape: [E, H], dtype: 'float32', zero: false });
    for (let t = 0; t < k; t++) outputs.push({ shape: [tableRows[t]!, H], dtype: 'float32', zero: true });
    const loop = backwardLoop({ terms: k, width: H, hasBase: wantBase, act, reduce });
    return runTyped(backend as KernelBackend, backendName, list, outputs, (ins, outs) => {
      // Inputs: g, y (absent for the identity), I_0..I_{k-1}, seg (when reduce).
      let p = 0;
      const g = ins[p++]!;
      const y = act !== 0 ? ins[p++]! : null;
      const idx = ins.slice(p, p + k);
      const seg = reduce ? ins[p + k]! : null;
      loop(g, y, idx, seg, wantBase ? outs[0]! : null, outs.slice(wantBase ? 1 : 0), E, H, alpha);
    });
  };
}

const registered = new Set<string>();

/** Registers the kernels on the active backend when it is wasm or cpu; false elsewhere (use the tf-ops path). */
export function ensureGatherSumActKernels(): boolean {
  const name = tf.getBackend();
  if (name !== 'wasm' && name !== 'cpu') return false;
  if (registered.has(name)) return true;
  for (const [kernelName, impl] of [
    [FORWARD_KERNEL, forwardImpl],
    [BACKWARD_KERNEL, backwardImpl],
  ] as const) {
    if (tf.getKernel(kernelName, name) === undefined) {
      const config: KernelConfig = { kernelName, backendName: name, kernelFunc: impl(name) };
      tf.registerKernel(config);
    }
  }
  registered.add(name);
  return true;
}

export function toAttrs(a: ForwardAttrs | BackwardAttrs): NamedAttrMap {
  return a as unknown as NamedAttrMap;
}
