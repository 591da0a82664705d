import { FusedConv2D, util, type FusedConv2DAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { CONV_BLOCK_ROWS, FORWARD_MIN_CHANNELS, geometryArgs, nativeConvApplies, convInfo, runNativeConv } from './conv-native';

/**
 * FusedConv2D (tf.fused.conv2d) on wasm through conv.c: a bias of one value per
 * output channel and a linear or ReLU activation are applied in the product's
 * epilogue while each block of output rows is in cache, instead of a pass each
 * over the output. Other activations, PReLU weights and NCHW go to the stock
 * (XNNPACK) kernel.
 */
export function makeFusedConv2DConfig(stock: KernelFunc | undefined): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const attrs = args.attrs as unknown as FusedConv2DAttrs;
    const { activation } = attrs;
    const info = convInfo(x.shape, filter.shape, attrs);
    const act = activation === 'relu' ? 1 : activation === 'linear' || activation === undefined ? 0 : -1;
    const biasOk = bias == null || (bias.dtype === 'float32' && util.sizeFromShape(bias.shape) === info.outChannels && bias.shape[bias.shape.length - 1] === info.outChannels);
    if (act >= 0 && preluActivationWeights == null && biasOk && nativeConvApplies(info, x, filter) && (info.inChannels >= FORWARD_MIN_CHANNELS || stock === undefined)) {
      const K = info.filterHeight * info.filterWidth * info.inChannels;
      const ins = bias == null ? [x, filter] : [x, filter, bias];
      const out = runNativeConv(args.backend as KernelBackend, ins, info.outShape, [CONV_BLOCK_ROWS * K], (native, [xp, fp, bp], y, [s]) =>
        native.conv2d_forward(xp!, fp!, bp ?? 0, y, s!, CONV_BLOCK_ROWS, act, info.batchSize, ...geometryArgs(info)),
      );
      if (out !== null) return out;
    }
    if (stock === undefined) throw new Error('FusedConv2D on wasm: the stock kernel is missing');
    return stock(args);
  };
  return { kernelName: FusedConv2D, backendName: 'wasm', kernelFunc };
}
