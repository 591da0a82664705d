import { util, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from '../errors';
import { runNative } from './native-run';

export const BATCH_NORM_TRAIN = 'MetanetBatchNormTrain';

export interface BatchNormTrainAttrs {
  varianceEpsilon: number;
}

/** Rows and channels of a (…, C) tensor. */
export function rowsAndChannels(x: TensorInfo): [number, number] {
  const C = x.shape[x.shape.length - 1] ?? 1;
  return [C === 0 ? 0 : util.sizeFromShape(x.shape) / C, C];
}

/**
 * MetanetBatchNormTrain on wasm: inputs x (…, C), scale and offset (C);
 * outputs y, the batch mean and biased variance over every axis but the last,
 * and 1/√(variance + ε) for the gradient. One compiled kernel (batchnorm.c)
 * where the tfjs-op version runs about a dozen passes over x.
 */
export function makeBatchNormTrainConfig(): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x, scale, offset } = args.inputs as { x: TensorInfo; scale: TensorInfo; offset: TensorInfo };
    const { varianceEpsilon } = args.attrs as unknown as BatchNormTrainAttrs;
    const [R, C] = rowsAndChannels(x);
    const outs = runNative(args.backend as KernelBackend, [x, scale, offset], [[...x.shape], [C], [C], [C]], [3 * C], (native, [xp, sp, op], [y, m, v, r], [s]) =>
      native.batchnorm_forward(xp!, sp!, op!, y!, m!, v!, r!, s!, R, C, varianceEpsilon),
    );
    if (outs === null) throw new BackendUnavailableError(`${BATCH_NORM_TRAIN} needs WebAssembly SIMD; call batchNormTrain, which falls back to tfjs ops without it`);
    return outs;
  };
  return { kernelName: BATCH_NORM_TRAIN, backendName: 'wasm', kernelFunc };
}
