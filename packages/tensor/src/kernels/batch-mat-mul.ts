import { BatchMatMul, broadcast_util, util, type BatchMatMulAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { transposeLast2 } from './call-kernel';
import { nativeMatMul } from './native-mat-mul';
import { TypedAccess } from './typed-access';

function outerSize(shape: number[]): number {
  return util.sizeFromShape(shape);
}

/**
 * BatchMatMul on wasm. Skinny unbatched products (a weight gradient Xᵀ·dY, X·W
 * with a small W, dY·Wᵀ) run on the compiled kernels of native/kernels.c; see
 * nativeMatMul for the shapes it takes. The rest:
 * with transpose flags, the stock kernel only reaches
 * XNNPACK when neither operand is transposed; with a flag it runs a naive loop,
 * 8-12× slower. So we rewrite every transposed product into an untransposed one
 * plus the cheapest explicit transposes. Cost model, in elements moved: a
 * transpose moves its tensor once, and XNNPACK packs the right operand of every
 * product whose right operand is new (always, in training), moving it once more:
 *   aᵀbᵀ = (b·a)ᵀ: pack a + T(out);
 *   aᵀb  = T(a)·b: T(a) + pack b  (never worse than (T(b)·a)ᵀ = T(b) + pack a + T(out));
 *   abᵀ  = a·T(b): 2·|b|, or (b·T(a))ᵀ: 2·|a| + |out|, whichever is smaller.
 */
export function makeBatchMatMulConfig(stock: KernelFunc | undefined): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    if (stock === undefined) throw new Error('BatchMatMul on wasm: the stock kernel is missing');
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return stock(args);
    const backend = args.backend as KernelBackend;
    const access = new TypedAccess(backend, 'wasm');
    const inner = transposeA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
    if (inner === 0) {
      // Stock wasm leaves the output uninitialised when the inner dimension is 0.
      const outBatch = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
      const rows = transposeA ? a.shape[a.shape.length - 1]! : a.shape[a.shape.length - 2]!;
      const cols = transposeB ? b.shape[b.shape.length - 2]! : b.shape[b.shape.length - 1]!;
      return access.run([], [{ shape: [...outBatch, rows, cols], dtype: 'float32' }], () => undefined)[0]!;
    }
    const native = nativeMatMul(backend, { a, b, transposeA, transposeB });
    if (native !== null) return native;
    if (!transposeA && !transposeB) return stock(args);
    const mm = (x: TensorInfo, y: TensorInfo): TensorInfo =>
      stock({ inputs: { a: x, b: y }, attrs: { transposeA: false, transposeB: false }, backend: args.backend }) as TensorInfo;
    const temps: TensorInfo[] = [];
    const keep = (t: TensorInfo): TensorInfo => {
      temps.push(t);
      return t;
    };
    try {
      const ar = a.shape.length;
      const br = b.shape.length;
      const m = transposeA ? a.shape[ar - 1]! : a.shape[ar - 2]!;
      const n = transposeB ? b.shape[br - 2]! : b.shape[br - 1]!;
      const batch = Math.max(outerSize(a.shape.slice(0, -2)), outerSize(b.shape.slice(0, -2)));
      const outElems = batch * m * n;
      let viaOutput: boolean;
      if (transposeA && transposeB) viaOutput = true;
      else if (transposeA) viaOutput = false;
      else viaOutput = 2 * outerSize(a.shape) + outElems < 2 * outerSize(b.shape);
      if (!viaOutput) {
        return transposeA ? mm(keep(transposeLast2(backend, a)), b) : mm(a, keep(transposeLast2(backend, b)));
      }
      // (ba)ᵀ for aᵀbᵀ, (b·T(a))ᵀ for abᵀ.
      const swapped = keep(transposeA ? mm(b, a) : mm(b, keep(transposeLast2(backend, a))));
      return transposeLast2(backend, swapped);
    } finally {
      for (const t of temps) access.dispose(t);
    }
  };
  return { kernelName: BatchMatMul, backendName: 'wasm', kernelFunc };
}
