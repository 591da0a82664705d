import { Conv2D, type Conv2DAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { CONV_BLOCK_ROWS, FORWARD_MIN_CHANNELS, geometryArgs, nativeConvApplies, convInfo, runNativeConv } from './conv-native';

/**
 * Conv2D on wasm through conv.c (im2col blocks into the compiled product), so
 * the forward pass and both gradients share one layout and one micro-kernel.
 * NCHW data and hosts without SIMD go to the stock (XNNPACK) kernel.
 */
export function makeConv2DConfig(stock: KernelFunc | undefined): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as Conv2DAttrs;
    const info = convInfo(x.shape, filter.shape, attrs);
    if (nativeConvApplies(info, x, filter) && (info.inChannels >= FORWARD_MIN_CHANNELS || stock === undefined)) {
      const K = info.filterHeight * info.filterWidth * info.inChannels;
      const out = runNativeConv(args.backend as KernelBackend, [x, filter], info.outShape, [CONV_BLOCK_ROWS * K], (native, [xp, fp], y, [s]) =>
        native.conv2d_forward(xp!, fp!, 0, y, s!, CONV_BLOCK_ROWS, 0, info.batchSize, ...geometryArgs(info)),
      );
      if (out !== null) return out;
    }
    if (stock === undefined) throw new Error('Conv2D on wasm: the stock kernel is missing');
    return stock(args);
  };
  return { kernelName: Conv2D, backendName: 'wasm', kernelFunc };
}
