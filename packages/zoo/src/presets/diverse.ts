/**
 * A diverse zoo in the spirit of CNN Wild Park (Kofinas et al. 2024): MLPs and CNNs of 2–6 layers (the dense head
 * included) and one width in {8, …, 64} per net (so widths split cleanly for out-of-distribution tests), with or
 * without batch norm, some with residual blocks, some flattening instead of global pooling, five activations.
 * Optimiser, learning rate, ℓ2, dropout and initialisation are drawn as in `small-cnn`, on narrower ranges where the
 * paper's extremes make deep nets diverge.
 *
 * Revision 2 cut the projected cost per run from 22.6 to 8.9 core-seconds (about 10 in a real build; README,
 * "Protocol", and `bench/diverse-cost.mjs`): 2 epochs instead of 3, small-cnn's train fractions (0.1 added), residual
 * plans capped at width × depth ≤ 128, and half the width draws ≤ 16. The zoo studies early training, like
 * small-cnn's.
 */
import { validateSpec, type ActivationFn, type Layer } from '@metanet/spec';
import type { OptimizerKind } from '@metanet/nets';
import type { Rng } from '@metanet/tensor';
import type { ZooDataset } from '../settings';
import { logUniform, pick, type RunPlan, type ZooPreset } from './types';

const ACTIVATIONS: readonly ActivationFn[] = ['relu', 'tanh', 'gelu', 'leaky_relu', 'sigmoid'];
const WIDTHS = [8, 12, 16, 24, 32, 48, 64] as const;
/**
 * Widths as drawn: half the draws are ≤ 16 (each narrow width 4 times, each wide one 3 times), so a zoo of N runs
 * holds about N/2 nets for the out-of-distribution split "train on widths ≤ 16, test on wider" (uniform draws gave
 * 3/7, 264 of the first 600 runs). One draw, as before, so every later draw of a run keeps its place.
 */
const WIDTH_DRAWS: readonly number[] = WIDTHS.flatMap((w) => Array<number>(w <= 16 ? 4 : 3).fill(w));
const OPTIMIZERS: readonly OptimizerKind[] = ['adam', 'rmsprop', 'sgd'];
/**
 * As small-cnn's: how much data a run saw is one more thing to read from its weights; adding 0.1 lowers the mean
 * fraction, and so the training cost, from 0.58 to 0.46.
 */
const TRAIN_FRACTIONS = [0.1, 0.25, 0.5, 1.0] as const;
/**
 * Residual plans keep width × depth ≤ 128 (the drawn width is lowered to the widest that fits): a block costs about
 * width² × 300–930 multiply-adds per image, so the uncapped 6-layer width-64 plan cost 50× small-cnn's forward pass,
 * and the 4 residual plans over the cap among 48 sampled took 46 % of their CPU time (results/diverse-12-runs/).
 */
const RESIDUAL_WIDTH_DEPTH_CAP = 128;

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

/** The widest of WIDTHS, at most `drawn`, whose product with `depth` stays within the residual cap. */
function residualWidth(drawn: number, depth: number): number {
  return Math.max(...WIDTHS.filter((w) => w <= drawn && w * depth <= RESIDUAL_WIDTH_DEPTH_CAP));
}

/** Draws one diverse net and its training hyperparameters. */
export function sampleDiverse(rng: Rng, dataset: ZooDataset): RunPlan {
  const family = pick<Family>(rng, ['mlp', 'cnn', 'cnn', 'resnet']);
  const depth = 2 + rng.int(5);
  const drawn = pick(rng, WIDTH_DRAWS);
  const width = family === 'resnet' ? residualWidth(drawn, depth) : drawn;
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
  revision: 2,
  description: 'MLPs, CNNs and residual CNNs (2–6 layers, widths 8–64, BN or not, GAP or flatten, 5 activations) on Fashion-MNIST',
  defaultRuns: 600,
  dataset: { name: 'fashion-mnist', imageSize: 28, classes: 10, trainSize: 60_000, valSize: 2_000, testSize: 5_000, inputRange: [-1, 1] },
  protocol: { epochs: 2, checkpoints: [0, 1, 2], batchSize: 256, trainEvalSize: 2_000 },
  quick: { runs: 50, protocol: { epochs: 1, checkpoints: [0, 1], batchSize: 256, trainEvalSize: 1_000 } },
  sample: sampleDiverse,
};
