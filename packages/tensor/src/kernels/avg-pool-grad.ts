import { AvgPoolGrad, type AvgPoolAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativePoolInfo, poolArgs } from './avg-pool';
import { runNativeConv } from './conv-native';

/**
 * AvgPoolGrad on wasm without padding through pool.c: one scatter pass over
 * dy, vectorised over channels. The stock kernel is a scalar loop (about 25 ms
 * at 64×14×14×64).
 */
export function makeAvgPoolGradConfig(stock: KernelFunc | undefined): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    const info = nativePoolInfo(input, args.attrs as unknown as AvgPoolAttrs);
    if (info !== null && dy.dtype === 'float32' && dy.shape.every((d, i) => d === info.outShape[i])) {
      const out = runNativeConv(args.backend as KernelBackend, [dy], [...input.shape], [], (native, [g], dx) => native.avgpool_backward(g!, dx, ...poolArgs(info)));
      if (out !== null) return out;
    }
    if (stock === undefined) throw new Error('AvgPoolGrad on wasm: the stock kernel is missing');
    return stock(args);
  };
  return { kernelName: AvgPoolGrad, backendName: 'wasm', kernelFunc };
}
