import { util, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from '../errors';
import type { NativeKernels } from './native';
import { runNative } from './native-run';

export const FAST_TANH = 'MetanetTanh';
export const FAST_TANH_GRAD = 'MetanetTanhGrad';
export const FAST_GELU = 'MetanetGelu';
export const FAST_GELU_GRAD = 'MetanetGeluGrad';

/**
 * An elementwise kernel of activation.c on wasm: its inputs (same shape, in `inputs` order) to one output of their
 * shape, by `call(native, inputPointers, outputPointer, elements)`. The op that reaches it (`fastTanh`, `fastGelu`)
 * checks for the compiled kernels first and falls back to tf ops without them.
 */
function elementwise(kernelName: string, inputs: readonly string[], op: string, call: (native: NativeKernels, ins: number[], out: number, n: number) => void): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const named = args.inputs as Record<string, TensorInfo>;
    const ins = inputs.map((k) => named[k]!);
    const shape = [...ins[0]!.shape];
    const outs = runNative(args.backend as KernelBackend, ins, [shape], [], (native, ptrs, [y]) => call(native, ptrs as number[], y!, util.sizeFromShape(shape)));
    if (outs === null) throw new BackendUnavailableError(`${kernelName} needs WebAssembly SIMD; call ${op}, which falls back to tf ops without it`);
    return outs[0]!;
  };
  return { kernelName, backendName: 'wasm', kernelFunc };
}

/** MetanetTanh: tanh four lanes at a time (the stock wasm Tanh calls the C library per element). */
export const makeFastTanhConfig = (): KernelConfig => elementwise(FAST_TANH, ['x'], 'fastTanh', (k, [x], y, n) => k.tanh_forward(x!, y, n));
/** MetanetTanhGrad: dx = dy·(1 − y²) in one pass, where the stock gradient makes three. */
export const makeFastTanhGradConfig = (): KernelConfig => elementwise(FAST_TANH_GRAD, ['y', 'dy'], 'fastTanh', (k, [y, dy], dx, n) => k.tanh_grad(y!, dy!, dx, n));
/** MetanetGelu: x·Φ(x) in one pass, where the stock ops (tf.erf and its arithmetic) take seven. */
export const makeFastGeluConfig = (): KernelConfig => elementwise(FAST_GELU, ['x'], 'fastGelu', (k, [x], y, n) => k.gelu_forward(x!, y, n));
/** MetanetGeluGrad: dx = dy·(Φ(x) + x·φ(x)) in one pass. */
export const makeFastGeluGradConfig = (): KernelConfig => elementwise(FAST_GELU_GRAD, ['x', 'dy'], 'fastGelu', (k, [x, dy], dx, n) => k.gelu_grad(x!, dy!, dx, n));
