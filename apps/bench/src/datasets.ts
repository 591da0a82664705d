/**
 * Dataset loading shared by every command: one place decides what `--dataset`
 * means, and the one-line fallback notice when Fashion-MNIST is absent.
 */
import {
  DatasetNotFoundError,
  datasetSize,
  disposeDataset,
  loadCifar10,
  loadFashionMnist,
  loadMnist,
  permutation,
  subsetDataset,
  syntheticShapes,
  type Dataset,
} from '@metanet/data';
import { CliUsageError } from './errors';

export const DATASET_CHOICES = ['auto', 'fashion-mnist', 'synthetic', 'mnist', 'cifar-10'] as const;
export type DatasetChoice = (typeof DATASET_CHOICES)[number];

export interface TrainTestData {
  train: Dataset;
  test: Dataset;
  /** Which dataset was loaded (`auto` resolved): what a saved net records and is checked against. */
  name: Exclude<DatasetChoice, 'auto'>;
  /** Human description, e.g. 'fashion-mnist (/usr/share/datasets/fashion-mnist)'. */
  description: string;
  /** Set when `auto` fell back to the synthetic dataset: the one line to show the user. */
  notice?: string;
}

export interface LoadDataOptions {
  dataDir?: string;
  /** First K training examples (and at most K test examples). */
  limit?: number;
  seed: number;
}

export const FALLBACK_NOTICE =
  'Fashion-MNIST not found, using the built-in synthetic shapes dataset instead; for the real one: apt-get install dataset-fashion-mnist (or metanet data fetch fashion-mnist --to DIR, then --data-dir DIR)';

function isChoice(name: string): name is DatasetChoice {
  return (DATASET_CHOICES as readonly string[]).includes(name);
}

function synthetic(limit: number | undefined, seed: number): TrainTestData {
  const n = limit ?? 6000;
  return {
    train: syntheticShapes({ n, seed }),
    test: syntheticShapes({ n: Math.max(200, Math.min(2000, Math.round(n / 3))), seed: seed + 1, name: 'synthetic-shapes/test' }),
    name: 'synthetic',
    description: `synthetic shapes (seed ${seed})`,
  };
}

export async function loadTrainTest(name: string, opts: LoadDataOptions): Promise<TrainTestData> {
  if (!isChoice(name)) throw new CliUsageError(`unknown dataset "${name}"; use one of ${DATASET_CHOICES.join(', ')}`);
  if (name === 'synthetic') return synthetic(opts.limit, opts.seed);
  const fileName: Exclude<DatasetChoice, 'auto' | 'synthetic'> = name === 'auto' ? 'fashion-mnist' : name;
  const load = fileName === 'fashion-mnist' ? loadFashionMnist : fileName === 'mnist' ? loadMnist : loadCifar10;
  const base = { ...(opts.dataDir !== undefined && { dataDir: opts.dataDir }) };
  try {
    const train = await load({ split: 'train', ...base, ...(opts.limit !== undefined && { limit: opts.limit }) });
    const test = await load({ split: 'test', ...base, ...(opts.limit !== undefined && { limit: Math.min(opts.limit, 10_000) }) });
    return { train, test, name: fileName, description: `${fileName} (${train.source.replace(/\/[^/]*$/, '')})` };
  } catch (err) {
    // `auto` means "Fashion-MNIST if it is there": an explicit --data-dir without it falls back too, and the notice names it.
    if (name === 'auto' && err instanceof DatasetNotFoundError) {
      const where = opts.dataDir === undefined ? FALLBACK_NOTICE : FALLBACK_NOTICE.replace('Fashion-MNIST not found', `Fashion-MNIST not found in ${opts.dataDir}`);
      return { ...synthetic(opts.limit, opts.seed), notice: where };
    }
    throw err;
  }
}

/** Holds out `fraction` of `full` (by seed) as validation; the caller keeps ownership of `full`. */
export function holdOutValidation(full: Dataset, seed: number, fraction = 0.1): { train: Dataset; val: Dataset } {
  const order = permutation(datasetSize(full), seed);
  const nVal = Math.max(1, Math.floor(order.length * fraction));
  return {
    val: subsetDataset(full, order.slice(0, nVal), `${full.name}[val]`),
    train: subsetDataset(full, order.slice(nVal), `${full.name}[train]`),
  };
}

export function disposeAll(...sets: Array<Dataset | undefined>): void {
  for (const ds of sets) if (ds) disposeDataset(ds);
}
