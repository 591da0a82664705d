import { util, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from '../errors';
import { runNative } from './native-run';

export const FAST_GELU = 'MetanetGelu';
export const FAST_GELU_GRAD = 'MetanetGeluGrad';

/** MetanetGelu on wasm (activation.c): x·Φ(x) in one pass, where the stock ops (tf.erf and its arithmetic) take seven. */
export function makeFastGeluConfig(): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const outs = runNative(args.backend as KernelBackend, [x], [[...x.shape]], [], (native, [xp], [y]) => native.gelu_forward(xp!, y!, util.sizeFromShape(x.shape)));
    if (outs === null) throw new BackendUnavailableError(`${FAST_GELU} needs WebAssembly SIMD; call fastGelu, which falls back to tf ops without it`);
    return outs[0]!;
  };
  return { kernelName: FAST_GELU, backendName: 'wasm', kernelFunc };
}

/** MetanetGeluGrad on wasm (activation.c): dx = dy·(Φ(x) + x·φ(x)) in one pass. */
export function makeFastGeluGradConfig(): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const outs = runNative(args.backend as KernelBackend, [x, dy], [[...x.shape]], [], (native, [xp, dyp], [dx]) => native.gelu_grad(xp!, dyp!, dx!, util.sizeFromShape(x.shape)));
    if (outs === null) throw new BackendUnavailableError(`${FAST_GELU_GRAD} needs WebAssembly SIMD; call fastGelu, which falls back to tf ops without it`);
    return outs[0]!;
  };
  return { kernelName: FAST_GELU_GRAD, backendName: 'wasm', kernelFunc };
}
