import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from '../errors';
import { rowsAndChannels } from './batch-norm-train';
import { runNative } from './native-run';

export const BIAS_RELU_GRAD = 'MetanetBiasReluGrad';

/**
 * MetanetBiasReluGrad on wasm: for y = relu(z + bias) over (…, C), inputs dy
 * and y; outputs dz = dy where y > 0 (else 0) and dbias = Σ dz over every axis
 * but the last, in one compiled pass (bias.c) where tfjs runs Step, Mul and Sum.
 */
export function makeBiasReluGradConfig(): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { dy, y } = args.inputs as { dy: TensorInfo; y: TensorInfo };
    const [R, C] = rowsAndChannels(y);
    const outs = runNative(args.backend as KernelBackend, [dy, y], [[...y.shape], [C]], [C], (native, [dyp, yp], [dz, db], [s]) =>
      native.bias_relu_backward(dyp!, yp!, dz!, db!, s!, R, C),
    );
    if (outs === null) throw new BackendUnavailableError(`${BIAS_RELU_GRAD} needs WebAssembly SIMD; call conv2dBiasAct, which falls back to tfjs ops without it`);
    return outs;
  };
  return { kernelName: BIAS_RELU_GRAD, backendName: 'wasm', kernelFunc };
}
