/**
 * The Small CNN Zoo of Unterthiner et al. 2020 ("Predicting Neural Network Accuracy from Weights", google-research
 * `dnn_predict_accuracy`) on Fashion-MNIST: 3 conv 3×3 stride 2 of 16 channels, GAP, dense 10 (4,970 parameters),
 * inputs in [-1, 1], with the paper's per-net hyperparameter ranges. Dropout follows each conv's activation.
 *
 * The protocol is shortened from the paper's 86 epochs (checkpoints 0, 1, 2, 3, 20, 40, 60, 80, 86) to fit 2,000
 * runs in 4 hours on 2 cores; the README's "Protocol" section has the measurement behind the epoch budget.
 */
import { validateSpec, type ActivationFn, type Layer } from '@metanet/spec';
import type { InitScheme, OptimizerKind } from '@metanet/nets';
import type { ZooDataset, ZooProtocol } from '../settings';
import { logUniform, pick, type RunPlan, type ZooPreset } from './types';

const ACTIVATIONS: readonly ActivationFn[] = ['relu', 'tanh'];
const OPTIMIZERS: readonly OptimizerKind[] = ['adam', 'rmsprop', 'sgd'];
/** The schemes @metanet/nets offers; `initStd` is the std of 'normal' and is sampled (and recorded) for every net. */
const INITS: readonly InitScheme[] = ['normal', 'he', 'xavier', 'pytorch'];
const TRAIN_FRACTIONS = [0.1, 0.25, 0.5, 1.0] as const;

/** The Small CNN spec at `width` channels with the given activation and dropout rate. */
export function smallCnnSpec(input: readonly [number, number, number], width: number, activation: ActivationFn, dropout: number, classes = 10): ReturnType<typeof validateSpec> {
  const block = (): Layer[] => [
    { type: 'conv2d', filters: width, kernel: 3, stride: 2, padding: 1 },
    { type: 'activation', fn: activation },
    { type: 'dropout', rate: dropout },
  ];
  return validateSpec({
    version: 1,
    name: 'small-cnn',
    input: [...input],
    layers: [...block(), ...block(), ...block(), { type: 'globalavgpool' }, { type: 'dense', units: classes }],
  });
}

/** The paper's per-net hyperparameters (shared by the Fashion-MNIST preset and the tiny synthetic one). */
export function sampleSmallCnn(rng: Parameters<ZooPreset['sample']>[0], dataset: ZooDataset, width: number): RunPlan {
  const activation = pick(rng, ACTIVATIONS);
  const optimizer = pick(rng, OPTIMIZERS);
  const lr = logUniform(rng, 5e-4, 5e-2);
  const l2 = logUniform(rng, 1e-8, 1e-2);
  const dropout = rng.uniform() * 0.7;
  const init = pick(rng, INITS);
  const initStd = logUniform(rng, 1e-3, 0.5);
  const trainFraction = pick(rng, TRAIN_FRACTIONS);
  const size = dataset.imageSize;
  return {
    arch: 'small-cnn',
    spec: smallCnnSpec([size, size, 1], width, activation, dropout, dataset.classes),
    init: { scheme: init, std: initStd },
    optimizer,
    lr,
    l2,
    trainFraction,
    hparams: { activation, optimizer, lr, l2, dropout, init, initStd, trainFraction },
  };
}

const FASHION_MNIST: ZooDataset = { name: 'fashion-mnist', imageSize: 28, classes: 10, trainSize: 60_000, valSize: 2_000, testSize: 5_000, inputRange: [-1, 1] };

const PROTOCOL: ZooProtocol = { epochs: 3, checkpoints: [0, 1, 2, 3], batchSize: 512, trainEvalSize: 2_000 };

/** `small-cnn`: the Small CNN Zoo on Fashion-MNIST. */
export const smallCnn: ZooPreset = {
  name: 'small-cnn',
  description: 'Unterthiner et al. 2020 Small CNN Zoo (4,970 params) on Fashion-MNIST, paper hyperparameter ranges',
  defaultRuns: 2000,
  dataset: FASHION_MNIST,
  protocol: PROTOCOL,
  quick: { runs: 50, protocol: { epochs: 1, checkpoints: [0, 1], batchSize: 512, trainEvalSize: 1_000 }, dataset: { ...FASHION_MNIST, testSize: 2_000 } },
  sample: (rng, dataset) => sampleSmallCnn(rng, dataset, 16),
};
