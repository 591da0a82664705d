import { util, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from '../errors';
import { runNative } from './native-run';

export const FAST_TANH = 'MetanetTanh';
export const FAST_TANH_GRAD = 'MetanetTanhGrad';

/**
 * MetanetTanh on wasm (activation.c): tanh four lanes at a time, within a few float32 ulps of Math.tanh. The stock
 * wasm Tanh evaluates the C library's tanh one element at a time.
 */
export function makeFastTanhConfig(): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const outs = runNative(args.backend as KernelBackend, [x], [[...x.shape]], [], (native, [xp], [y]) => native.tanh_forward(xp!, y!, util.sizeFromShape(x.shape)));
    if (outs === null) throw new BackendUnavailableError(`${FAST_TANH} needs WebAssembly SIMD; call fastTanh, which falls back to tf.tanh without it`);
    return outs[0]!;
  };
  return { kernelName: FAST_TANH, backendName: 'wasm', kernelFunc };
}

/** MetanetTanhGrad on wasm (activation.c): dx = dy·(1 − y²) in one pass, where the stock gradient makes three. */
export function makeFastTanhGradConfig(): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { y, dy } = args.inputs as { y: TensorInfo; dy: TensorInfo };
    const outs = runNative(args.backend as KernelBackend, [y, dy], [[...y.shape]], [], (native, [yp, dyp], [dx]) => native.tanh_grad(yp!, dyp!, dx!, util.sizeFromShape(y.shape)));
    if (outs === null) throw new BackendUnavailableError(`${FAST_TANH_GRAD} needs WebAssembly SIMD; call fastTanh, which falls back to tf.tanh without it`);
    return outs[0]!;
  };
  return { kernelName: FAST_TANH_GRAD, backendName: 'wasm', kernelFunc };
}
