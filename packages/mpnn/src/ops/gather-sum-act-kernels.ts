/**
 * Typed-array kernels behind `gatherSumAct`, registered on the wasm and cpu backends.
 *
 * Forward: y[e] = act(base[e] + Σ_k P_k[I_k[e]]), optionally also agg[s] = Σ_{e: seg[e]=s} y[e].
 * Backward: g = dY[e] (or dAgg[seg[e]]) ⊙ act'(y[e]); dBase[e] = g; dP_k[I_k[e]] += g.
 * One pass over the E×H rows each way, instead of k gathers, k adds, an activation
 * and a segment sum (each its own pass over E×H memory with stock kernels).
 * On wasm the passes run in @metanet/tensor's compiled SIMD kernels (gsa_forward,
 * gsa_backward) for up to NATIVE_MAX_TERMS gathered terms; elsewhere, and for
 * more terms, in the specialised JavaScript loops.
 */
import { IndexOutOfRangeError, tf } from '@metanet/tensor';
import { nativeKernelsOfBackend, type NativeKernels } from '@metanet/tensor/kernels';
import type { KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { int32View, runTyped, type KernelBackendName, type NumericArray, type OutputSpec } from './typed-access';
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

/** Gathered terms the compiled kernels take (a GN block's first layer has at most 3). */
export const NATIVE_MAX_TERMS = 4;

function nativeFor(backend: KernelBackend, backendName: KernelBackendName, terms: number): NativeKernels | null {
  return backendName === 'wasm' && terms <= NATIVE_MAX_TERMS ? nativeKernelsOfBackend(backend) : null;
}

/** Which inner loops the kernels use for `terms` gathered terms on the active backend (for tests and benchmarks). */
export function fusedKernelPath(terms: number): 'native' | 'javascript' {
  const name = tf.getBackend();
  return nativeFor(tf.backend(), name === 'wasm' ? 'wasm' : 'cpu', terms) !== null ? 'native' : 'javascript';
}

/** Heap address of each of up to four views, 0 for the missing ones. */
function addresses(views: readonly (NumericArray | null)[]): number[] {
  return Array.from({ length: NATIVE_MAX_TERMS }, (_, i) => views[i]?.byteOffset ?? 0);
}

/**
 * Every index must address a row of its table and every segment id a row of the
 * output: the compiled kernels trust them (an out-of-range one would read and
 * write outside its tensor on the shared heap), and the JavaScript loops would
 * silently produce NaN. Checked before anything is allocated.
 */
function checkIndices(backend: KernelBackend, backendName: KernelBackendName, list: readonly TensorInfo[], k: number, hasBase: boolean, S: number): void {
  const p = hasBase ? 1 : 0;
  const check = (t: TensorInfo, bound: number, what: string): void => {
    const v = int32View(backend, backendName, t);
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      if (x < 0 || x >= bound) {
        throw new IndexOutOfRangeError(`gatherSumAct: ${what} ${x} at row ${i} is outside [0, ${bound}); fix the index tensor`);
      }
    }
  };
  for (let t = 0; t < k; t++) check(list[p + k + t]!, list[p + t]!.shape[0]!, `term ${t} index`);
  if (S >= 0) check(list[p + 2 * k]!, S, 'segment id');
}

function forwardImpl(backendName: KernelBackendName): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as ForwardAttrs;
    const list = inputs as unknown as TensorInfo[];
    const { numTerms: k, numRows: E, width: H, act, alpha, numSegments: S, hasBase } = a;
    checkIndices(backend as KernelBackend, backendName, list, k, hasBase, S);
    const outputs: OutputSpec[] = [{ shape: [E, H], dtype: 'float32', zero: false }];
    if (S >= 0) outputs.push({ shape: [S, H], dtype: 'float32', zero: true });
    const native = nativeFor(backend as KernelBackend, backendName, k);
    const loop = native === null ? forwardLoop({ terms: k, width: H, hasBase, act, reduce: S >= 0 }) : null;
    return runTyped(backend as KernelBackend, backendName, list, outputs, (ins, outs) => {
      let p = 0;
      const base = hasBase ? ins[p++]! : null;
      const tables = ins.slice(p, p + k);
      const idx = ins.slice(p + k, p + 2 * k);
      const seg = S >= 0 ? ins[p + 2 * k]! : null;
      const agg = S >= 0 ? outs[1]! : null;
      if (native !== null) {
        const [t0, t1, t2, t3] = addresses(tables);
        const [i0, i1, i2, i3] = addresses(idx);
        native.gsa_forward(base?.byteOffset ?? 0, t0!, i0!, t1!, i1!, t2!, i2!, t3!, i3!, k, seg?.byteOffset ?? 0, outs[0]!.byteOffset, agg?.byteOffset ?? 0, E, H, act, alpha);
      } else {
        loop!(base, tables, idx, seg, outs[0]!, agg, E, H, alpha);
      }
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
    const native = nativeFor(backend as KernelBackend, backendName, k);
    const loop = native === null ? backwardLoop({ terms: k, width: H, hasBase: wantBase, act, reduce }) : null;
    return runTyped(backend as KernelBackend, backendName, list, outputs, (ins, outs) => {
      // Inputs: g, y (absent for the identity), I_0..I_{k-1}, seg (when reduce).
      let p = 0;
      const g = ins[p++]!;
      const y = act !== 0 ? ins[p++]! : null;
      const idx = ins.slice(p, p + k);
      const seg = reduce ? ins[p + k]! : null;
      const dBase = wantBase ? outs[0]! : null;
      const dTables = outs.slice(wantBase ? 1 : 0);
      if (native !== null) {
        const [d0, d1, d2, d3] = addresses(dTables);
        const [i0, i1, i2, i3] = addresses(idx);
        native.gsa_backward(g.byteOffset, y?.byteOffset ?? 0, seg?.byteOffset ?? 0, dBase?.byteOffset ?? 0, d0!, i0!, d1!, i1!, d2!, i2!, d3!, i3!, k, E, H, act, alpha);
      } else {
        loop!(g, y, idx, seg, dBase, dTables, E, H, alpha);
      }
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
