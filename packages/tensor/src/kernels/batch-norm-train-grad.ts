import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from '../errors';
import { rowsAndChannels } from './batch-norm-train';
import { runNative } from './native-run';

export const BATCH_NORM_TRAIN_GRAD = 'MetanetBatchNormTrainGrad';

/**
 * MetanetBatchNormTrainGrad on wasm: the gradients of MetanetBatchNormTrain's
 * y, mean and variance (dmean, dvariance optional) with respect to x, scale
 * and offset, in one compiled kernel (batchnorm.c): two reductions and one
 * elementwise pass.
 */
export function makeBatchNormTrainGradConfig(): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { dy, x, scale, mean, rstd, dmean, dvariance } = args.inputs as Record<string, TensorInfo | undefined>;
    const [R, C] = rowsAndChannels(x!);
    const ins = [dy!, x!, scale!, mean!, rstd!, ...(dmean ? [dmean] : []), ...(dvariance ? [dvariance] : [])];
    const outs = runNative(args.backend as KernelBackend, ins, [[...x!.shape], [C], [C]], [4 * C], (native, p, [dx, dg, db], [s]) => {
      const dm = dmean ? p[5]! : 0;
      const dv = dvariance ? p[dmean ? 6 : 5]! : 0;
      native.batchnorm_backward(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, dm, dv, dx!, dg!, db!, s!, R, C);
    });
    if (outs === null) throw new BackendUnavailableError(`${BATCH_NORM_TRAIN_GRAD} needs WebAssembly SIMD; call batchNormTrain, which falls back to tfjs ops without it`);
    return outs;
  };
  return { kernelName: BATCH_NORM_TRAIN_GRAD, backendName: 'wasm', kernelFunc };
}
