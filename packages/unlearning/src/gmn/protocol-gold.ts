/**
 * Gold models for the editor's evaluation protocol: each held-out net retrained without
 * the forgotten class by its own recipe, through the `retrain` method (the one retrain
 * path of this package), and timed there, so RTE divides by what a user would spend.
 */
import { labelsOf, subsetDataset, disposeDataset, type Dataset } from '@metanet/data';
import { retrain } from '../methods/retrain';
import { splitByClasses } from '../requests/select';
import type { TrainedNet } from '../types';

/** How a net was trained: what gold repeats on D_r. */
export interface GoldRecipe {
  epochs: number;
  lr: number;
  optimizer: 'adam' | 'sgd';
  /** Default 64. */
  batchSize?: number;
  /** SGD momentum. Default 0. */
  momentum?: number;
  /** Seeds gold's initialisation and batch order. */
  seed: number;
}

/** A held-out net of the protocol: its id, the group it is reported in, and its recipe when known. */
export interface HeldOutNet {
  id: string;
  net: TrainedNet;
  /** E.g. 'unseen seeds' or 'unseen widths'; rows are summarised per group. */
  group: string;
  /** Needed only when gold is trained by `trainGold`. */
  recipe?: GoldRecipe;
}

/** Gold for one (net, class) pair: the retrained model and the seconds its retrain took. */
export interface ProtocolGold {
  net: string;
  forgetClass: number;
  model: TrainedNet;
  seconds: number;
}

/** The recipe `trainGold` uses for a net without one (retrain's defaults: Adam 1e-3, batch 64, 5 epochs). */
export const DEFAULT_GOLD_RECIPE: GoldRecipe = { epochs: 5, lr: 1e-3, optimizer: 'adam', batchSize: 64, momentum: 0, seed: 0 };

/** Retrains `net` on `train` without `forgetClass`, by its recipe (else `DEFAULT_GOLD_RECIPE`). */
export async function trainGold(net: HeldOutNet, forgetClass: number, train: Dataset, onProgress?: (done: number, total: number) => void): Promise<ProtocolGold> {
  const recipe = net.recipe ?? DEFAULT_GOLD_RECIPE;
  const split = splitByClasses(labelsOf(train), [forgetClass]);
  const forget = subsetDataset(train, split.forget);
  const retain = subsetDataset(train, split.retain);
  try {
    const r = await retrain.run(
      { model: net.net, forget, retain, forgetClasses: [forgetClass], numClasses: train.classNames.length, seed: recipe.seed, ...(onProgress && { onProgress }) },
      { epochs: recipe.epochs, lr: recipe.lr, optimizer: recipe.optimizer, batchSize: recipe.batchSize ?? 64, momentum: recipe.momentum ?? 0 },
    );
    return { net: net.id, forgetClass, model: r.model, seconds: r.seconds };
  } finally {
    disposeDataset(forget);
    disposeDataset(retain);
  }
}

/** A net's width: the filters (or units) of its first conv or dense layer (small-cnn's c), 0 when it has none. */
export function netWidth(net: TrainedNet): number {
  for (const l of net.spec.layers) {
    if (l.type === 'conv2d') return l.filters;
    if (l.type === 'dense') return l.units;
  }
  return 0;
}
