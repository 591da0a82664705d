import { broadcast_util, util, type KernelBackend, type TensorInfo } from '@tensorflow/tfjs-core';
import { transposeLast2 } from './call-kernel';
import { nativeKernelsOfBackend } from './native';
import { TypedAccess } from './typed-access';

/**
 * Largest right operand (elements) of X·W that the native gemm_nn takes: every
 * 4-row tile re-reads W, so W must stay in L1/L2. Beyond it XNNPACK's packed,
 * cache-blocked GEMM wins. 64 KB of float32.
 */
export const NATIVE_NN_MAX_RIGHT = 16_384;
/** Largest result (elements) of Aᵀ·B that the native gemm_tn accumulates per block of rows. */
export const NATIVE_TN_MAX_OUT = 65_536;

/** Epilogues the native product fuses. */
export type NativeActivation = 'linear' | 'relu';

export interface NativeProduct {
  a: TensorInfo;
  b: TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
  bias?: TensorInfo | undefined;
  activation?: NativeActivation;
}

const rows = (t: TensorInfo): number => t.shape[t.shape.length - 2]!;
const cols = (t: TensorInfo): number => t.shape[t.shape.length - 1]!;
const batchOf = (t: TensorInfo): number => util.sizeFromShape(t.shape.slice(0, -2));

/**
 * Runs a rank ≥ 2 float32 product on the compiled kernels when its shape suits
 * them (no real batch, skinny enough; see the limits above), else returns null
 * and the caller keeps its path. Handles aᵀb (gemm_tn), ab (gemm_nn) and abᵀ
 * with a small b (transpose b, then gemm_nn); aᵀbᵀ is left to the caller.
 */
export function nativeMatMul(backend: KernelBackend, p: NativeProduct): TensorInfo | null {
  const { a, b, transposeA, transposeB } = p;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return null;
  if (batchOf(a) !== 1 || batchOf(b) !== 1) return null;
  if (transposeA && transposeB) return null;
  const bias = p.bias;
  const act = p.activation ?? 'linear';
  const m = transposeA ? cols(a) : rows(a);
  const k = transposeA ? rows(a) : cols(a);
  const n = transposeB ? rows(b) : cols(b);
  if (k !== (transposeB ? cols(b) : rows(b))) return null; // let the stock kernel report the mismatch
  // The bias must be one row of n values ([n], [1, n], …), not a broadcast scalar.
  if (bias !== undefined && (bias.dtype !== 'float32' || bias.shape.length === 0 || util.sizeFromShape(bias.shape) !== n || cols(bias) !== n)) return null;
  if (transposeA && (bias !== undefined || act !== 'linear')) return null;
  if (transposeA ? m * n > NATIVE_TN_MAX_OUT : k * n > NATIVE_NN_MAX_RIGHT) return null;
  // Empty products are fine here: gemm_tn zero-fills C and gemm_nn starts every row from the
  // bias, so an empty inner dimension gives 0 (or act(bias)), where stock wasm returns garbage.
  const native = nativeKernelsOfBackend(backend);
  if (native === null) return null;
  const access = new TypedAccess(backend, 'wasm');
  const outBatch = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const outShape = [...outBatch, m, n];
  // abᵀ: b is small here (k·n ≤ NATIVE_NN_MAX_RIGHT), so transposing it is cheap.
  const right = transposeB ? transposeLast2(backend, b) : b;
  try {
    const ins = bias !== undefined ? [a, right, bias] : [a, right];
    const [out] = access.run(ins, [{ shape: outShape, dtype: 'float32' }], (views, [o]) => {
      const [av, bv, biasView] = views;
      if (transposeA) native.gemm_tn(av!.byteOffset, bv!.byteOffset, o!.byteOffset, k, m, n);
      else native.gemm_nn(av!.byteOffset, bv!.byteOffset, biasView?.byteOffset ?? 0, o!.byteOffset, m, k, n, act === 'relu' ? 1 : 0);
    }, false);
    return out!;
  } finally {
    if (right !== b) access.dispose(right);
  }
}
