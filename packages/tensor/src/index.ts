// Placeholder surface; the full backend selection and kernels live in their own files.
import * as tf from '@tensorflow/tfjs-core';

export { tf };
