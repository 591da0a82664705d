/**
 * `tiny`: a seconds-long zoo for tests and smoke runs: small CNNs of width 4 on 12×12 synthetic shapes (4 classes,
 * generated, so no files are needed), with the Small CNN Zoo's hyperparameter ranges.
 */
import type { ZooProtocol } from '../settings';
import { sampleSmallCnn } from './small-cnn';
import type { ZooPreset } from './types';

const PROTOCOL: ZooProtocol = { epochs: 2, checkpoints: [0, 1, 2], batchSize: 32, trainEvalSize: 128 };

/** The tiny synthetic preset. */
export const tiny: ZooPreset = {
  name: 'tiny',
  description: 'small CNNs (width 4) on 12×12 synthetic shapes: a zoo in seconds, for tests',
  defaultRuns: 12,
  dataset: { name: 'synthetic', imageSize: 12, classes: 4, trainSize: 320, valSize: 64, testSize: 64, inputRange: [-1, 1] },
  protocol: PROTOCOL,
  quick: { runs: 4, protocol: PROTOCOL },
  sample: (rng, dataset) => sampleSmallCnn(rng, dataset, 4),
};
