import { _FusedMatMul, type _FusedMatMulAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeMatMul } from './native-mat-mul';

/**
 * _FusedMatMul (matMul + bias + activation, what tf.fused.matMul and dense layers
 * call) on wasm: products nativeMatMul takes, with no activation or ReLU and no
 * PReLU weights, run on the compiled gemm_nn with the bias and ReLU fused into
 * its epilogue. Everything else goes to the stock kernel.
 */
export function makeFusedMatMulConfig(stock: KernelFunc | undefined): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    if (stock === undefined) throw new Error('_FusedMatMul on wasm: the stock kernel is missing');
    const { a, b, bias, preluActivationWeights } = args.inputs as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const { transposeA, transposeB, activation } = args.attrs as unknown as _FusedMatMulAttrs;
    if (preluActivationWeights == null && (activation === 'linear' || activation === 'relu' || activation === undefined)) {
      const out = nativeMatMul(args.backend as KernelBackend, { a, b, transposeA, transposeB, bias: bias ?? undefined, activation: activation ?? 'linear' });
      if (out !== null) return out;
    }
    return stock(args);
  };
  return { kernelName: _FusedMatMul, backendName: 'wasm', kernelFunc };
}
