/**
 * RL (random labelling, Golatkar et al. 2020; as run in SalUn): train on D_f
 * relabelled at random (never with the true label) mixed with D_r batches, so
 * the forgotten samples lose their signal while the rest is rehearsed.
 */
import { createRng, type tf } from '@metanet/tensor';
import { datasetSize, labelsOf, type Dataset } from '@metanet/data';
import { optimize } from '../loop';
import { crossEntropyLoss } from '../losses';
import { defineMethod } from '../define-method';
import type { TrainedNet, UnlearnInput } from '../types';

/** Hyperparameters of random labelling. */
export type RlHyperparameters = {
  /** Passes over D_f. */
  epochs: number;
  /** Forget samples per step; each step also draws as many retain samples. */
  batchSize: number;
  lr: number;
  momentum: number;
  weightDecay: number;
};

/** A random label ≠ the true one for every sample of `ds` (seeded). */
export function randomWrongLabels(ds: Dataset, numClasses: number, seed: number): Int32Array {
  const y = labelsOf(ds);
  const rng = createRng(seed);
  const out = new Int32Array(datasetSize(ds));
  for (let i = 0; i < out.length; i++) {
    const r = rng.int(numClasses - 1);
    out[i] = r >= (y[i] as number) ? r + 1 : r;
  }
  return out;
}

/** Options of random labelling: how labels are redrawn and how retain batches mix in. */
export interface RandomLabellingOptions {
  epochs: number;
  /** Forget samples per step. */
  batchSize: number;
  /** Retain samples per step. */
  retainBatchSize: number;
  lr: number;
  momentum: number;
  weightDecay: number;
  /** Seed of the random labels (each method keeps its own stream). */
  labelSeed: number;
  /** Per-weight 0/1 masks: only masked-in weights move (SalUn). */
  mask?: tf.Tensor[];
  label: string;
}

/**
 * The random-labelling update shared by RL and SalUn (SalUn is RL restricted to
 * salient weights, Fan et al. 2024 §4): SGD on D_f with random wrong labels,
 * rehearsing D_r batches in the same steps.
 */
export function randomLabelling(input: UnlearnInput, o: RandomLabellingOptions): { model: TrainedNet; steps: number } {
  const labels = randomWrongLabels(input.forget, input.numClasses, o.labelSeed);
  const r = optimize({
    model: input.model,
    sources: { forget: { data: input.forget, batchSize: o.batchSize, labels }, retain: { data: input.retain, batchSize: o.retainBatchSize } },
    epochs: o.epochs,
    epochSource: 'forget',
    loss: (out, batch) => crossEntropyLoss(out.output, batch.y),
    lr: o.lr,
    optimizer: 'sgd',
    momentum: o.momentum,
    weightDecay: o.weightDecay,
    ...(o.mask && { mask: o.mask }),
    seed: input.seed,
    label: o.label,
    onProgress: input.onProgress,
  });
  return { model: r.model, steps: r.steps };
}

/** Random labelling (RL): random labels on the forget set, trained together with retain batches. */
export const rl = defineMethod<RlHyperparameters>({
  name: 'rl',
  relabelsForget: true,
  description: 'random labels on the forget set, trained together with retain batches',
  defaults: { epochs: 2, batchSize: 64, lr: 3e-3, momentum: 0.9, weightDecay: 5e-4 },
  unlearn(input, hp) {
    return randomLabelling(input, { ...hp, retainBatchSize: hp.batchSize, labelSeed: input.seed ^ 0x5a17, label: 'rl' });
  },
});
