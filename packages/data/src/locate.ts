/**
 * Where dataset files live. Fashion-MNIST is looked for in an explicit
 * directory, else $METANET_DATA_DIR, else the Debian package's
 * /usr/share/datasets/fashion-mnist. MNIST and CIFAR-10 have no system
 * package, so they need a directory. A directory may hold the files directly
 * or in a sub-directory named after the dataset (so one METANET_DATA_DIR can
 * hold several datasets).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetNotFoundError, UnknownDatasetError } from './errors';

/** The datasets read from files on disk. */
export type FileDatasetName = 'fashion-mnist' | 'mnist' | 'cifar-10';
/** Which split of a dataset to read. */
export type Split = 'train' | 'test';

/** Where the Debian package `dataset-fashion-mnist` installs the IDX files. */
export const FASHION_MNIST_SYSTEM_DIR = '/usr/share/datasets/fashion-mnist';

/** File names per split, without an optional '.gz' (IDX datasets accept both). */
export const DATASET_FILES: Readonly<Record<FileDatasetName, Readonly<Record<Split, readonly string[]>>>> = {
  'fashion-mnist': {
    train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
    test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
  },
  mnist: {
    train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
    test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
  },
  'cifar-10': {
    train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
    test: ['test_batch.bin'],
  },
};

const SUBDIRS: Readonly<Record<FileDatasetName, readonly string[]>> = {
  'fashion-mnist': ['fashion-mnist', 'fashion'],
  mnist: ['mnist'],
  'cifar-10': ['cifar-10', 'cifar-10-batches-bin'],
};

/** Whether `name` is a dataset read from files (as opposed to the synthetic one). */
export function isFileDatasetName(name: string): name is FileDatasetName {
  return name === 'fashion-mnist' || name === 'mnist' || name === 'cifar-10';
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The path of one dataset file in `dir`, preferring the plain name, then '.gz'; null if absent. */
function findFile(dir: string, base: string, gzipOk: boolean): string | null {
  if (isFile(join(dir, base))) return join(dir, base);
  if (gzipOk && isFile(join(dir, `${base}.gz`))) return join(dir, `${base}.gz`);
  return null;
}

/** Full paths of a split's files in `dir` (or its dataset sub-directory), or null if any is missing. */
function filesIn(name: FileDatasetName, split: Split, dir: string): string[] | null {
  const gzipOk = name !== 'cifar-10';
  for (const d of [dir, ...SUBDIRS[name].map((s) => join(dir, s))]) {
    const found = DATASET_FILES[name][split].map((b) => findFile(d, b, gzipOk));
    if (found.every((f): f is string => f !== null)) return found;
  }
  return null;
}

function howToGet(name: FileDatasetName): string {
  if (name === 'fashion-mnist') {
    return 'install it with `apt-get install dataset-fashion-mnist`, or run `metanet data fetch fashion-mnist --to DIR` and pass --data-dir DIR (or set METANET_DATA_DIR)';
  }
  if (name === 'mnist') return 'download the four MNIST IDX files into DIR and pass --data-dir DIR (or set METANET_DATA_DIR)';
  return 'download cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html, extract it into DIR and pass --data-dir DIR (or set METANET_DATA_DIR)';
}

/** A dataset found on disk: its name, directory and files. */
export interface LocatedDataset {
  readonly dir: string;
  readonly files: readonly string[];
}

/**
 * Finds a split's files. An explicit `dataDir` is the only place looked at
 * (no silent fallback to another copy); otherwise METANET_DATA_DIR, then the
 * system directory (Fashion-MNIST only). Throws DatasetNotFoundError saying
 * how to get the data.
 */
export function locateDataset(name: string, split: Split, dataDir?: string): LocatedDataset {
  if (!isFileDatasetName(name)) throw new UnknownDatasetError(`unknown dataset '${name}'; known: fashion-mnist, mnist, cifar-10, synthetic`);
  const env = process.env.METANET_DATA_DIR;
  const candidates = dataDir !== undefined ? [dataDir] : [env, name === 'fashion-mnist' ? FASHION_MNIST_SYSTEM_DIR : undefined].filter((d): d is string => !!d);
  for (const dir of candidates) {
    if (!existsSync(dir)) continue;
    const files = filesIn(name, split, dir);
    if (files) return { dir, files };
  }
  const where = candidates.length > 0 ? `in ${candidates.join(' or ')}` : '(no --data-dir and METANET_DATA_DIR is unset)';
  throw new DatasetNotFoundError(`${name} ${split} files (${DATASET_FILES[name][split].join(', ')}) not found ${where}; ${howToGet(name)}`);
}
