import { silenceTfjsNotices } from './quiet';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';

// Explicit call (not only an import) so no bundler drops it as side-effect free.
silenceTfjsNotices();

export { tf };
export { initBackend, backendInfo, type BackendInfo, type BackendName, type InitBackendOptions } from './backend';
export { BackendUnavailableError, InvalidTensorArgumentError, IndexOutOfRangeError } from './errors';
export { gatherRows } from './ops/gather_rows';
export { segmentSum } from './ops/segment_sum';
export { segmentMean } from './ops/segment_mean';
export { segmentMax } from './ops/segment_max';
export { fusedOptimizerUpdate, type OptimizerUpdateRequest } from './ops/optimizer-update';
export { batchNormTrain, type BatchNormTrainResult } from './ops/batch-norm-train';
export { hashDropout, hashKeepMask } from './ops/hash-dropout';
export { createRng, randomNormal, randomUniform, type Rng } from './rng';
