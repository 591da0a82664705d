/**
 * A small generator of editor-training nets: small-cnn of widths 8–24 with varied
 * seeds, optimisers and learning rates, trained with @metanet/nets' `train`.
 *
 * Temporary: it stands in for the zoo package's generator (deterministic, parallel,
 * resumable) until that lands; `trainEditor` itself takes any list of trained nets.
 * Net i's hyperparameters are a pure function of (seed, i), so a run is reproducible.
 *
 * Gold for a generated net (`editorZooGold`) is the same recipe (init seed, optimiser,
 * lr, epochs, width, batch, shuffle seed) run on the data without the forgotten class:
 * exactly what the original would have been had the class never been there, through
 * the one training path (`trainRecipe`) both use.
 */
import { createRng, tf } from '@metanet/tensor';
import { initParams, train } from '@metanet/nets';
import { architecture } from '@metanet/spec';
import { labelsOf, subsetDataset, disposeDataset, type Dataset } from '@metanet/data';
import { InvalidHyperparameterError } from '../errors';
import type { TrainedNet } from '../types';

/** What one generated net was trained with. */
export interface EditorZooRecipe {
  width: number;
  seed: number;
  optimizer: 'adam' | 'sgd';
  lr: number;
  epochs: number;
}

/** Options of `generateEditorZoo`: how many small-cnn nets to train, on which data, from which seed. */
export interface EditorZooOptions {
  dataset: Dataset;
  count: number;
  /** Seeds the recipes (and so every net). Default 0. */
  seed?: number;
  /** Epochs per net. Default 2. */
  epochs?: number;
  /** Width range, inclusive. Default [8, 24]. */
  widths?: [number, number];
/** Called before each net is trained. */
  onNet?: (index: number, total: number, recipe: EditorZooRecipe) => void;
}

/** The recipe of net `index` (a pure function of seed and index). */
export function editorZooRecipe(seed: number, index: number, epochs = 2, widths: [number, number] = [8, 24]): EditorZooRecipe {
  const rng = createRng(seed * 7919 + index);
  const optimizer = rng.uniform() < 0.5 ? 'adam' : 'sgd';
  // Log-uniform learning rates around each optimiser's usual value.
  const lr = optimizer === 'adam' ? 3e-4 * Math.pow(10, rng.uniform() * 1.2) : 1e-2 * Math.pow(10, rng.uniform() * 1.2);
  return { width: widths[0] + rng.int(widths[1] - widths[0] + 1), seed: seed * 1000 + index, optimizer, lr, epochs };
}

/** Trains one net with `recipe` on `dataset` (small-cnn; the images' shape and classes set the spec). */
export async function trainRecipe(recipe: EditorZooRecipe, dataset: Dataset, numClasses = dataset.classNames.length): Promise<TrainedNet> {
  const [, h, , c] = dataset.images.shape;
  const spec = architecture('small-cnn', { inputSize: h, inChannels: c, classes: numClasses, width: recipe.width });
  const init = initParams(spec, { seed: recipe.seed });
  try {
    const r = await train(spec, init, dataset, { epochs: recipe.epochs, batchSize: 64, lr: recipe.lr, optimizer: recipe.optimizer, momentum: recipe.optimizer === 'sgd' ? 0.9 : 0, seed: recipe.seed });
    return { spec, params: r.params, buffers: r.buffers };
  } finally {
    tf.dispose(init);
  }
}

/**
 * Gold for a generated net and a forget class: `recipe` retrained on `dataset` without
 * `forgetClass` (same spec, so the output keeps all classes). Deterministic: the
 * same (recipe, dataset, class) gives the same weights bit for bit.
 */
export async function editorZooGold(recipe: EditorZooRecipe, dataset: Dataset, forgetClass: number): Promise<TrainedNet> {
  const labels = labelsOf(dataset);
  const keep = Int32Array.from([...labels.keys()].filter((i) => labels[i] !== forgetClass));
  if (keep.length === labels.length) throw new InvalidHyperparameterError(`forget class ${forgetClass} has no images in ${dataset.name}; pick one of its classes`);
  const retain = subsetDataset(dataset, keep, `${dataset.name}[without ${forgetClass}]`);
  try {
    return await trainRecipe(recipe, retain, dataset.classNames.length);
  } finally {
    disposeDataset(retain);
  }
}

/** Trains `count` small-cnn nets on `dataset` (the images' shape and classes set the spec). */
export async function generateEditorZoo(o: EditorZooOptions): Promise<Array<{ net: TrainedNet; recipe: EditorZooRecipe }>> {
  const out: Array<{ net: TrainedNet; recipe: EditorZooRecipe }> = [];
  for (let i = 0; i < o.count; i++) {
    const recipe = editorZooRecipe(o.seed ?? 0, i, o.epochs, o.widths);
    o.onNet?.(i, o.count, recipe);
    out.push({ net: await trainRecipe(recipe, o.dataset), recipe });
  }
  return out;
}
