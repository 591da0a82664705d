import {
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { makeConv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { CONV_BLOCK_ROWS, geometryArgs, nativeConvApplies, convInfo, runNativeConv } from './conv-native';

/**
 * Conv2DBackpropFilter on wasm through conv.c: im2col blocks of pixels swept
 * into the filter gradient by the compiled product, with no column matrix of
 * the whole batch. Where conv.c does not apply, the TypeScript im2col kernel
 * (conv2d-backprop-filter.ts, also cpu's) runs.
 */
export function makeConv2DBackpropFilterWasmConfig(): KernelConfig {
  const fallback = makeConv2DBackpropFilterConfig('wasm').kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
    const { filterShape } = attrs;
    const info = convInfo(x.shape, filterShape, attrs);
    if (nativeConvApplies(info, x, dy) && dy.shape.every((d, i) => d === info.outShape[i])) {
      const K = info.filterHeight * info.filterWidth * info.inChannels;
      const out = runNativeConv(args.backend as KernelBackend, [x, dy], [...filterShape], [CONV_BLOCK_ROWS * K], (native, [xp, dyp], df, [s]) =>
        native.conv2d_backprop_filter(xp!, dyp!, df, s!, CONV_BLOCK_ROWS, info.batchSize, ...geometryArgs(info)),
      );
      if (out !== null) return out;
    }
    return fallback(args);
  };
  return { kernelName: Conv2DBackpropFilter, backendName: 'wasm', kernelFunc };
}
