import { backend_util, type Conv2DAttrs, type KernelBackend, type TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeKernels } from './native';
import { runNative } from './native-run';

/**
 * Output pixels per im2col block of conv.c: the scratch holds 128·K floats
 * (≤ 295 KB at K = 3·3·64, in L2). On homework-cnn's and small-cnn's layers 128
 * was as fast as or faster than 32, 64, 256 and 512 within the noise of a
 * shared machine; blocks of 32 starved the K = 9 first layer.
 */
export const CONV_BLOCK_ROWS = 128;

/**
 * Forward convolutions with fewer input channels go to XNNPACK: with K = 9
 * (a first layer on grey images) the im2col product spends its time loading
 * and storing output tiles; XNNPACK measured 1.4× (stride 1) to 2.4× (stride
 * 2) faster there, and conv.c 1.3× faster at 32 → 64 channels.
 */
export const FORWARD_MIN_CHANNELS = 4;

/** What every conv kernel's attributes say about its geometry (gradients have no dilation). */
export type ConvGeometryAttrs = Pick<Conv2DAttrs, 'strides' | 'pad' | 'dataFormat' | 'dimRoundingMode'> & { dilations?: Conv2DAttrs['dilations'] };

/** tfjs's Conv2DInfo of a convolution of input `xShape` by a filter of `filterShape`, under a conv kernel's attributes. */
export function convInfo(xShape: readonly number[], filterShape: readonly number[], attrs: ConvGeometryAttrs): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
}

/** conv.c's geometry arguments, in its GEOMETRY order. */
export function geometryArgs(info: backend_util.Conv2DInfo): number[] {
  return [
    info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, info.outChannels,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth,
    info.padInfo.top, info.padInfo.left,
  ];
}

/** Whether conv.c takes this convolution: NHWC, float32, nothing empty. */
export function nativeConvApplies(info: backend_util.Conv2DInfo, ...tensors: TensorInfo[]): boolean {
  if (info.dataFormat !== 'channelsLast' || tensors.some((t) => t.dtype !== 'float32')) return false;
  return info.batchSize > 0 && info.inChannels > 0 && info.outChannels > 0 && info.outHeight > 0 && info.outWidth > 0;
}

/** Runs one conv.c entry point with one output (see runNative). */
export function runNativeConv(
  backend: KernelBackend,
  inputs: TensorInfo[],
  outShape: number[],
  scratchFloats: number[],
  call: (native: NativeKernels, ins: number[], out: number, scratch: number[]) => void,
): TensorInfo | null {
  const outs = runNative(backend, inputs, [outShape], scratchFloats, (native, ins, [out], scratch) => call(native, ins, out!, scratch));
  return outs === null ? null : outs[0]!;
}
