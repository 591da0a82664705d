import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { InvalidTensorArgumentError } from '../errors';
import { callKernel } from './call-kernel';
import { TypedAccess, type NumericArray, type SupportedBackend } from './typed-access';

/** Caps the im2col buffer (K × rows floats) so a big batch is processed in slices. */
const MAX_COLUMN_FLOATS = 1 << 23;

/**
 * Writes colT[k, m] = x[b, oy·sh − top + kh, ox·sw − left + kw, c] for batch items
 * [b0, b1), with k = (kh·fw + kw)·ci + c and m the output pixel; 0 where the
 * window hangs over the padding. Rows of colT are written contiguously.
 */
function im2colTransposed(x: NumericArray, info: backend_util.Conv2DInfo, b0: number, b1: number, colT: NumericArray): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } = info;
  const { strideHeight: sh, strideWidth: sw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const M = (b1 - b0) * OH * OW;
  for (let kh = 0; kh < FH; kh++) {
    for (let kw = 0; kw < FW; kw++) {
      for (let c = 0; c < C; c++) {
        let o = ((kh * FW + kw) * C + c) * M;
        for (let b = b0; b < b1; b++) {
          for (let oy = 0; oy < OH; oy++) {
            const iy = oy * sh - top + kh;
            if (iy < 0 || iy >= H) {
              o += OW;
              continue;
            }
            const rowBase = ((b * H + iy) * W) * C + c;
            for (let ox = 0; ox < OW; ox++) {
              const ix = ox * sw - left + kw;
              colT[o++] = ix >= 0 && ix < W ? x[rowBase + ix * C]! : 0;
            }
          }
        }
      }
    }
  }
}

/**
 * Conv2DBackpropFilter (the weight gradient of conv2d), NHWC, dilation 1.
 * Missing on wasm; cpu's stock version reads every element through
 * TensorBuffer.get. dW[kh,kw,ci,co] = Σ_pixels x_patch · dy is one matrix product
 * colT[K, M] · dy[M, CO], so we build colT in TypeScript and hand the product to
 * the backend's BatchMatMul (XNNPACK on wasm). colT's row-major [K, CO] result
 * is already the filter layout [FH, FW, CI, CO].
 */
export function makeConv2DBackpropFilterConfig(backendName: SupportedBackend, maxColumnFloats = MAX_COLUMN_FLOATS): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as Conv2DBackpropFilterAttrs;
    if (backend_util.convertConv2DDataFormat(dataFormat) !== 'channelsLast') {
      throw new InvalidTensorArgumentError('Conv2DBackpropFilter: only NHWC data is supported; transpose NCHW input to NHWC');
    }
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const backend = args.backend as KernelBackend;
    const access = new TypedAccess(backend, backendName);
    const K = info.filterHeight * info.filterWidth * info.inChannels;
    const CO = info.outChannels;
    const pixels = info.outHeight * info.outWidth;
    const zeros = (): TensorInfo => access.run([], [{ shape: filterShape, dtype: 'float32' }], () => undefined)[0]!;
    if (K === 0 || CO === 0 || pixels === 0 || info.batchSize === 0) return zeros();
    const perChunk = Math.max(1, Math.floor(maxColumnFloats / Math.max(1, K * pixels)));
    let out: TensorInfo | null = null;
    for (let b0 = 0; b0 < info.batchSize; b0 += perChunk) {
      const b1 = Math.min(info.batchSize, b0 + perChunk);
      const M = (b1 - b0) * pixels;
      const [colT, dyChunk] = access.run(
        [x, dy],
        [
          { shape: [K, M], dtype: 'float32' },
          { shape: [M, CO], dtype: 'float32' },
        ],
        ([xv, dyv], [cv, dv]) => {
          im2colTransposed(xv!, info, b0, b1, cv!);
          dv!.set(dyv!.subarray(b0 * pixels * CO, b1 * pixels * CO));
        },
      );
      const part = callKernel('BatchMatMul', backendName, backend, { a: colT!, b: dyChunk! }, { transposeA: false, transposeB: false });
      access.dispose(colT!);
      access.dispose(dyChunk!);
      if (out === null) {
        // [K, CO] row-major is the filter layout; only the shape label changes.
        out = { dataId: part.dataId, shape: [...filterShape], dtype: 'float32' };
        continue;
      }
      access.run([part, out], [], ([pv, ov]) => {
        // Accumulate in place: out is our own buffer, not an engine-visible tensor yet.
        const o = ov!;
        const p = pv!;
        for (let i = 0; i < o.length; i++) o[i] = o[i]! + p[i]!;
      });
      access.dispose(part);
    }
    return out ?? zeros();
  };
  return { kernelName: Conv2DBackpropFilter, backendName, kernelFunc };
}
