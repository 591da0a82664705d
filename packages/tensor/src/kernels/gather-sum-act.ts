/**
 * GatherSumAct (the forward kernel of `gatherSumAct`), on wasm and cpu:
 * y[e] = act(base[e] + Σ_k T_k[I_k[e]]), optionally also agg[s] = Σ_{e: seg[e]=s} y[e].
 * One pass over the E×H rows, instead of k gathers, k adds, an activation and a
 * segment sum (each its own pass over E×H memory with stock kernels). On wasm the
 * pass runs in the compiled SIMD kernel gsa_forward for up to NATIVE_MAX_TERMS
 * gathered terms; elsewhere, and for more terms, in the specialised JavaScript
 * loops of gather-sum-act-loops.ts. The backward kernel is GatherSumActGrad.
 */
import { backend as activeBackend, getBackend, type KernelBackend, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { IndexOutOfRangeError } from '../errors';
import { nativeKernelsOfBackend, type NativeKernels } from './native';
import { NATIVE_NN_MAX_RIGHT } from './native-mat-mul';
import { forwardLoop } from './gather-sum-act-loops';
import { TypedAccess, type NumericArray, type OutputSpec, type SupportedBackend } from './typed-access';

export const GatherSumAct = 'GatherSumAct';

/** 0 = identity, 1 = relu, 2 = leaky relu. */
export type ActCode = 0 | 1 | 2;

export interface GatherSumActAttrs {
  hasBase: boolean;
  numTerms: number;
  numRows: number;
  width: number;
  act: ActCode;
  alpha: number;
  /** −1: no reduction output. */
  numSegments: number;
  /**
   * Inner dimension K of a row product X·W (E×K by K×H) that stands for the base, computed
   * inside the compiled kernel (`gsa_forward_mm`); 0 or absent: none. Only on wasm with the
   * compiled kernels (see `productFusable`), and never together with `hasBase`.
   */
  productInner?: number;
}

/** Gathered terms the compiled kernels take (a GN block's first layer has at most 3). */
export const NATIVE_MAX_TERMS = 4;

/** The compiled kernels for `terms` gathered terms on this backend, or null (the JavaScript loops run). */
export function gatherSumActNative(backend: KernelBackend, backendName: SupportedBackend, terms: number): NativeKernels | null {
  return backendName === 'wasm' && terms <= NATIVE_MAX_TERMS ? nativeKernelsOfBackend(backend) : null;
}

/** Which inner loops the kernels use for `terms` gathered terms on the active backend (for tests and benchmarks). */
export function fusedKernelPath(terms: number): 'native' | 'javascript' {
  const name = getBackend();
  return gatherSumActNative(activeBackend(), name === 'wasm' ? 'wasm' : 'cpu', terms) !== null ? 'native' : 'javascript';
}

/** Heap address of each of up to four views, 0 for the missing ones. */
export function heapAddresses(views: readonly (NumericArray | null)[]): number[] {
  return Array.from({ length: NATIVE_MAX_TERMS }, (_, i) => views[i]?.byteOffset ?? 0);
}

export function toAttrs<T extends object>(a: T): NamedAttrMap {
  return a as unknown as NamedAttrMap;
}

/**
 * The smallest bound each checked index tensor satisfies (its largest value + 1; none is
 * negative), by its data. A tensor's data never changes in tfjs (an op makes new data; a
 * variable's assign swaps in other data), so a later check against a bound at least that large
 * passes without reading the tensor again. (On cpu, `tf.tensor(typedArray)` keeps the caller's
 * array: a caller who writes into it afterwards, which tfjs does not allow, would evade the check
 * there and get NaN from the JavaScript loops; on wasm the data is copied into the heap.) Message
 * passing gathers with the same graph indices in every layer and every step; reading them again
 * each time cost about 3 % of an editor's forward pass on a 10,906-edge graph.
 */
const smallestBound = new WeakMap<object, number>();

/**
 * Every index must address a row of its table and every segment id a row of the
 * output: the compiled kernels trust them (an out-of-range one would read and
 * write outside its tensor on the shared heap), and the JavaScript loops would
 * silently produce NaN. Checked before anything is allocated.
 */
function checkIndices(access: TypedAccess, list: readonly TensorInfo[], k: number, leading: number, S: number): void {
  const p = leading;
  const check = (t: TensorInfo, bound: number, what: string): void => {
    const known = smallestBound.get(t.dataId as object);
    if (known !== undefined && known <= bound) return;
    const v = access.int32View(t);
    let max = -1;
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      if (x < 0 || x >= bound) {
        throw new IndexOutOfRangeError(`gatherSumAct: ${what} ${x} at row ${i} is outside [0, ${bound}); fix the index tensor`);
      }
      if (x > max) max = x;
    }
    smallestBound.set(t.dataId as object, max + 1);
  };

  for (let t = 0; t < k; t++) check(list[p + k + t]!, list[p + t]!.shape[0]!, `term ${t} index`);
  if (S >= 0) check(list[p + 2 * k]!, S, 'segment id');
}

/**
 * Whether a row product X·W of inner dimension `inner` and width `width` can stand for the base
 * inside the compiled kernel for `terms` gathered terms on the active backend: on wasm with the
 * compiled kernels, with W small enough to stay in cache (gemm_nn's limit).
 */
export function productFusable(terms: number, inner: number, width: number): boolean {
  // An empty inner dimension has no product to fuse (the kernel's attribute 0 means none): it stays a matMul.
  return inner > 0 && width > 0 && getBackend() === 'wasm' && fusedKernelPath(terms) === 'native' && inner * width <= NATIVE_NN_MAX_RIGHT;
}

/** Inputs, in order: X and W (when productInner > 0), base (when hasBase), T_0..T_{k-1}, I_0..I_{k-1}, seg (when numSegments ≥ 0). Outputs: y, then agg. */
export function makeGatherSumActConfig(backendName: SupportedBackend): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as GatherSumActAttrs;
    const list = inputs as unknown as TensorInfo[];
    const { numTerms: k, numRows: E, width: H, act, alpha, numSegments: S, hasBase } = a;
    const K = a.productInner ?? 0;
    const access = new TypedAccess(backend as KernelBackend, backendName);
    const leading = (hasBase ? 1 : 0) + (K > 0 ? 2 : 0);
    checkIndices(access, list, k, leading, S);
    const outputs: OutputSpec[] = [{ shape: [E, H], dtype: 'float32', zero: false }];
    if (S >= 0) outputs.push({ shape: [S, H], dtype: 'float32', zero: true });
    const native = gatherSumActNative(backend as KernelBackend, backendName, k);
    if (K > 0 && (native === null || hasBase)) {
      throw new Error('GatherSumAct: a row product needs the compiled kernels and no base; check productFusable first');
    }
    const loop = native === null ? forwardLoop({ terms: k, width: H, hasBase, act, reduce: S >= 0 }) : null;
    return access.run(list, outputs, (ins, outs) => {
      let p = 0;
      const product = K > 0 ? [ins[p++]!, ins[p++]!] : null;
      const base = hasBase ? ins[p++]! : null;
      const tables = ins.slice(p, p + k);
      const idx = ins.slice(p + k, p + 2 * k);
      const seg = S >= 0 ? ins[p + 2 * k]! : null;
      const agg = S >= 0 ? outs[1]! : null;
      if (native !== null) {
        const [t0, t1, t2, t3] = heapAddresses(tables);
        const [i0, i1, i2, i3] = heapAddresses(idx);
        if (product !== null) {
          native.gsa_forward_mm(product[0]!.byteOffset, product[1]!.byteOffset, K, t0!, i0!, t1!, i1!, t2!, i2!, t3!, i3!, k, seg?.byteOffset ?? 0, outs[0]!.byteOffset, agg?.byteOffset ?? 0, E, H, act, alpha);
          return;
        }
        native.gsa_forward(base?.byteOffset ?? 0, t0!, i0!, t1!, i1!, t2!, i2!, t3!, i3!, k, seg?.byteOffset ?? 0, outs[0]!.byteOffset, agg?.byteOffset ?? 0, E, H, act, alpha);
      } else {
        loop!(base, tables, idx, seg, outs[0]!, agg, E, H, alpha);
      }
    });
  };
  return { kernelName: GatherSumAct, backendName, kernelFunc };
}
