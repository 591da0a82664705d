import { silenceTfjsNotices } from './quiet';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';

// Explicit call (not only an import) so no bundler drops it as side-effect free.
silenceTfjsNotices();

export { tf };
export { initBackend, backendInfo, type BackendInfo, type BackendName, type InitBackendOptions } from './backend';
export { BackendUnavailableError, InvalidTensorArgumentError, IndexOutOfRangeError, NonFiniteLossError, type TrainingPosition } from './errors';
export { gatherRows } from './ops/gather-rows';
export { segmentSum } from './ops/segment-sum';
export { segmentMean } from './ops/segment-mean';
export { segmentMax } from './ops/segment-max';
export { gatherSumAct, gatherSumActSegmentSum, type GatherTerm, type GatherSumActArgs } from './ops/gather-sum-act';
export { linear, type LinearOptions } from './ops/linear';
export { ACTIVATIONS, applyActivation, type Activation } from './ops/activation';
export { fusedOptimizerUpdate, type OptimizerUpdateRequest } from './ops/optimizer-update';
export { batchNormTrain, type BatchNormTrainResult } from './ops/batch-norm-train';
export { hashDropout, hashKeepMask } from './ops/hash-dropout';
export { fastTanh } from './ops/fast-tanh';
export { fastGelu, geluReference } from './ops/fast-gelu';
export { conv2dBiasAct, type Conv2DPadding } from './ops/conv2d-bias-act';
export { variableFrom } from './variables';
export { createRng, randomNormal, randomUniform, shuffleInPlace, permutation, type Rng, type SwappableArray } from './rng';
