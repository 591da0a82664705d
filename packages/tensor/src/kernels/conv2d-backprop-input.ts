import {
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { CONV_BLOCK_ROWS, geometryArgs, nativeConvApplies, convInfo, runNativeConv } from './conv-native';

/**
 * Conv2DBackpropInput (the input gradient of conv2d) on wasm through conv.c:
 * dy·fᵀ per block of output pixels, scattered back by col2im. The stock wasm
 * kernel is a scalar loop, about 8× the forward conv on a 3×3, 32→64 layer.
 */
export function makeConv2DBackpropInputConfig(stock: KernelFunc | undefined): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
    const { inputShape } = attrs;
    const info = convInfo(inputShape, filter.shape, attrs);
    if (nativeConvApplies(info, dy, filter) && dy.shape.every((d, i) => d === info.outShape[i])) {
      const K = info.filterHeight * info.filterWidth * info.inChannels;
      const out = runNativeConv(args.backend as KernelBackend, [dy, filter], [...inputShape], [K * info.outChannels, CONV_BLOCK_ROWS * K], (native, [dyp, fp], dx, [ft, s]) =>
        native.conv2d_backprop_input(dyp!, fp!, dx, ft!, s!, CONV_BLOCK_ROWS, info.batchSize, ...geometryArgs(info)),
      );
      if (out !== null) return out;
    }
    if (stock === undefined) throw new Error('Conv2DBackpropInput on wasm: the stock kernel is missing');
    return stock(args);
  };
  return { kernelName: Conv2DBackpropInput, backendName: 'wasm', kernelFunc };
}
