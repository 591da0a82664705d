/**
 * The images a zoo trains and scores on, fixed per zoo: the training pool (each run draws its train fraction from
 * it), the validation slice held out of the training split, and the test set. Loaded once per worker.
 */
import { loadFashionMnist, permutation, subsetDataset, syntheticShapes, type ChannelStats, type Dataset } from '@metanet/data';
import type { ZooDataset } from './settings';

/** A zoo's three sets. */
export interface ZooData {
  /** The training split minus the validation slice. */
  readonly pool: Dataset;
  /** The last `valSize` examples of the training split. */
  readonly val: Dataset;
  /** The first `testSize` examples of the test split. */
  readonly test: Dataset;
}

/** x/255 ∈ [0, 1] mapped affinely onto [lo, hi], as `(x/255 − mean) / std`. */
function rangeStats([lo, hi]: readonly [number, number]): ChannelStats {
  return { mean: [-lo / (hi - lo)], std: [1 / (hi - lo)] };
}

function range(from: number, to: number): Int32Array {
  return Int32Array.from({ length: to - from }, (_, i) => from + i);
}

/** Loads the sets `d` describes (Fashion-MNIST from `dataDir` or the usual places; synthetic generated). */
export async function loadZooData(d: ZooDataset, dataDir?: string): Promise<ZooData> {
  const normalization = rangeStats(d.inputRange);
  let train: Dataset;
  let test: Dataset;
  if (d.name === 'synthetic') {
    train = syntheticShapes({ n: d.trainSize, seed: 1, size: d.imageSize, classes: d.classes, normalization, name: 'zoo-synthetic/train' });
    test = syntheticShapes({ n: d.testSize, seed: 2, size: d.imageSize, classes: d.classes, normalization, name: 'zoo-synthetic/test' });
  } else {
    const where = dataDir !== undefined ? { dataDir } : {};
    train = await loadFashionMnist({ split: 'train', normalization, limit: d.trainSize, ...where });
    test = await loadFashionMnist({ split: 'test', normalization, limit: d.testSize, ...where });
  }
  const nPool = d.trainSize - d.valSize;
  const pool = subsetDataset(train, range(0, nPool), `${train.name}[pool]`);
  const val = subsetDataset(train, range(nPool, d.trainSize), `${train.name}[val]`);
  train.images.dispose();
  train.labels.dispose();
  return { pool, val, test };
}

/** The run's training subset: `fraction` of the pool, drawn by `seed`. */
export function trainSubset(pool: Dataset, fraction: number, seed: number): Dataset {
  const n = pool.images.shape[0];
  const k = Math.max(1, Math.round(n * fraction));
  return subsetDataset(pool, permutation(n, seed).slice(0, k), `${pool.name}[${fraction}]`);
}
