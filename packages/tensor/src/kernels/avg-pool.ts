import { AvgPool, backend_util, type AvgPoolAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { runNativeConv } from './conv-native';

/** The pooling geometry pool.c takes: NHWC float32, no padding, nothing empty; null otherwise. */
export function nativePoolInfo(x: TensorInfo, attrs: AvgPoolAttrs): backend_util.Conv2DInfo | null {
  if (x.dtype !== 'float32' || x.shape.length !== 4) return null;
  const info = backend_util.computePool2DInfo(x.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const p = info.padInfo;
  if (p.top !== 0 || p.left !== 0 || p.bottom !== 0 || p.right !== 0) return null;
  if (info.outHeight <= 0 || info.outWidth <= 0 || info.batchSize === 0 || info.inChannels === 0) return null;
  return info;
}

export const poolArgs = (i: backend_util.Conv2DInfo): number[] => [
  i.batchSize, i.inHeight, i.inWidth, i.inChannels, i.outHeight, i.outWidth, i.filterHeight, i.filterWidth, i.strideHeight, i.strideWidth,
];

/**
 * AvgPool on wasm without padding (what nets' pooling layers use) through
 * pool.c, vectorised over channels; padded pools go to the stock kernel.
 */
export function makeAvgPoolConfig(stock: KernelFunc | undefined): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const info = nativePoolInfo(x, args.attrs as unknown as AvgPoolAttrs);
    if (info !== null) {
      const out = runNativeConv(args.backend as KernelBackend, [x], info.outShape, [], (native, [xp], y) => native.avgpool_forward(xp!, y, ...poolArgs(info)));
      if (out !== null) return out;
    }
    if (stock === undefined) throw new Error('AvgPool on wasm: the stock kernel is missing');
    return stock(args);
  };
  return { kernelName: AvgPool, backendName: 'wasm', kernelFunc };
}
