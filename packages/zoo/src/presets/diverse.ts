/**
 * A diverse zoo in the spirit of CNN Wild Park (Kofinas et al. 2024): MLPs and CNNs of 2–6 layers (the dense head
 * included) and one width in {8, …, 64} per net (so widths split cleanly for out-of-distribution tests), with or
 * without batch norm, some with residual blocks, some flattening instead of global pooling, five activations.
 * Optimiser, learning rate, ℓ2, dropout and initialisation are drawn as in `small-cnn`, on narrower ranges where the
 * paper's extremes make deep nets diverge.
 */
import { validateSpec, type ActivationFn, type Layer } from '@metanet/spec';
import type { OptimizerKind } from '@metanet/nets';
import type { Rng } from '@metanet/tensor';
import type { ZooDataset } from '../settings';
import { logUniform, pick, type RunPlan, type ZooPreset } from './types';

const ACTIVATIONS: readonly ActivationFn[] = ['relu', 'tanh', 'gelu', 'leaky_relu', 'sigmoid'];
const WIDTHS = [8, 12, 16, 24, 32, 48, 64] as const;
const OPTIMIZERS: readonly OptimizerKind[] = ['adam', 'rmsprop', 'sgd'];
const TRAIN_FRACTIONS = [0.25, 0.5, 1.0] as const;

type Family = 'mlp' | 'cnn' | 'resnet';

function mlpLayers(hidden: number, width: number, bn: boolean, act: ActivationFn, dropout: number): Layer[] {
  const layers: Layer[] = [{ type: 'flatten' }];
  for (let i = 0; i < hidden; i++) {
    layers.push({ type: 'dense', units: width });
    if (bn) layers.push({ type: 'batchnorm' });
    layers.push({ type: 'activation', fn: act }, { type: 'dropout', rate: dropout });
  }
  return layers;
}

/** Convs stride 2 while the map is larger than 4×4 (bounds the cost of wide nets), then stride 1. */
function cnnLayers(hidden: number, width: number, bn: boolean, act: ActivationFn, dropout: number, residual: boolean, size: number): { layers: Layer[]; side: number } {
  const layers: Layer[] = [];
  let side = size;
  for (let i = 0; i < hidden; i++) {
    const stride = side > 4 ? 2 : 1;
    // A residual block holds two convs with BN and ReLU; the first layer stays a plain conv (the stem).
    if (residual && i > 0) layers.push({ type: 'residual', filters: width, stride });
    else {
      layers.push({ type: 'conv2d', filters: width, kernel: 3, stride, padding: 1 });
      if (bn) layers.push({ type: 'batchnorm' });
      layers.push({ type: 'activation', fn: act });
    }
    if (dropout > 0) layers.push({ type: 'dropout', rate: dropout });
    side = Math.floor((side + 2 - 3) / stride) + 1;
  }
  return { layers, side };
}

/** Draws one diverse net and its training hyperparameters. */
export function sampleDiverse(rng: Rng, dataset: ZooDataset): RunPlan {
  const family = pick<Family>(rng, ['mlp', 'cnn', 'cnn', 'resnet']);
  const depth = 2 + rng.int(5);
  const width = pick(rng, WIDTHS);
  const bn = family === 'resnet' || rng.uniform() < 0.5;
  const activation = pick(rng, ACTIVATIONS);
  const dropout = rng.uniform() < 0.5 ? 0 : rng.uniform() * 0.5;
  const head = family === 'mlp' ? 'flatten' : pick(rng, ['gap', 'flatten'] as const);
  const optimizer = pick(rng, OPTIMIZERS);
  const lr = optimizer === 'sgd' ? logUniform(rng, 1e-3, 1e-1) : logUniform(rng, 3e-4, 1e-2);
  const l2 = logUniform(rng, 1e-8, 1e-3);
  const init = pick(rng, ['he', 'xavier', 'pytorch'] as const);
  const trainFraction = pick(rng, TRAIN_FRACTIONS);
  const size = dataset.imageSize;
  let layers: Layer[];
  if (family === 'mlp') layers = mlpLayers(depth - 1, width, bn, activation, dropout);
  else {
    const body = cnnLayers(depth - 1, width, bn, activation, dropout, family === 'resnet', size);
    layers = [...body.layers, ...(head === 'gap' ? [{ type: 'globalavgpool' } as Layer] : [{ type: 'flatten' } as Layer])];
  }
  layers.push({ type: 'dense', units: dataset.classes });
  const spec = validateSpec({ version: 1, name: `diverse-${family}`, input: [size, size, 1], layers });
  return {
    arch: family,
    spec,
    init: { scheme: init, std: 0 },
    optimizer,
    lr,
    l2,
    trainFraction,
    hparams: { family, depth, width, bn, residual: family === 'resnet', head, activation, dropout, optimizer, lr, l2, init, trainFraction },
  };
}

/** `diverse`: MLPs, CNNs and residual CNNs of varied depth, width and normalisation on Fashion-MNIST. */
export const diverse: ZooPreset = {
  name: 'diverse',
  description: 'MLPs, CNNs and residual CNNs (2–6 layers, widths 8–64, BN or not, GAP or flatten, 5 activations) on Fashion-MNIST',
  defaultRuns: 1000,
  dataset: { name: 'fashion-mnist', imageSize: 28, classes: 10, trainSize: 60_000, valSize: 2_000, testSize: 5_000, inputRange: [-1, 1] },
  protocol: { epochs: 3, checkpoints: [0, 1, 2, 3], batchSize: 256, trainEvalSize: 2_000 },
  quick: { runs: 50, protocol: { epochs: 1, checkpoints: [0, 1], batchSize: 256, trainEvalSize: 1_000 } },
  sample: sampleDiverse,
};
