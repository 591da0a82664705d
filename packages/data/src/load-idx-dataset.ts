/**
 * Fashion-MNIST and MNIST: an IDX images file (N, 28, 28) uint8 paired with
 * an IDX labels file (N) uint8.
 */
import { createDataset } from './dataset';
import { CorruptDatasetFileError } from './errors';
import { readIdx } from './idx';
import { locateDataset, type Split } from './locate';
import { NORMALIZATION_CONSTANTS, normalizeBytes, resolveNormalization, type Normalization } from './normalization';
import type { Dataset } from './types';

/** The ten Fashion-MNIST class names, in label order. */
export const FASHION_MNIST_CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** The ten MNIST class names (the digits), in label order. */
export const MNIST_CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** Options of the IDX dataset loaders: split, directory and how many samples to read. */
export interface LoadOptions {
  readonly split: Split;
  /** Directory holding the files (directly or in a dataset-named sub-directory). */
  readonly dataDir?: string;
  /** Keep only the first `limit` samples (reads less of the file). */
  readonly limit?: number;
  /** Default 'standard': (x/255 - mean) / std with the dataset's constants. */
  readonly normalization?: Normalization;
}

/** The image and label files of one IDX split. */
export interface IdxPair {
  /** N*H*W bytes. */
  readonly images: Uint8Array;
  readonly labels: Int32Array;
  readonly shape: readonly [number, number, number];
}

/**
 * Reads and cross-checks an IDX images/labels pair: images must be uint8
 * (N, H, W), labels uint8 (N) in [0, numClasses), and the counts must agree.
 */
export async function readIdxPair(imagesPath: string, labelsPath: string, numClasses: number, limit?: number): Promise<IdxPair> {
  const opts = limit === undefined ? {} : { limit };
  const [img, lab] = await Promise.all([readIdx(imagesPath, opts), readIdx(labelsPath, opts)]);
  if (img.dtype !== 'uint8' || img.shape.length !== 3) {
    throw new CorruptDatasetFileError(imagesPath, `holds ${img.dtype} of shape ${img.shape.join('x')}, expected uint8 images (N x H x W)`);
  }
  if (lab.dtype !== 'uint8' || lab.shape.length !== 1) {
    throw new CorruptDatasetFileError(labelsPath, `holds ${lab.dtype} of shape ${lab.shape.join('x')}, expected uint8 labels (N)`);
  }
  const n = img.shape[0] as number;
  if (lab.shape[0] !== n) {
    throw new CorruptDatasetFileError(labelsPath, `has ${lab.shape[0]} labels but ${imagesPath} has ${n} images`);
  }
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const y = lab.data[i] as number;
    if (y >= numClasses) throw new CorruptDatasetFileError(labelsPath, `label ${y} at index ${i} is not a class (expected 0-${numClasses - 1})`);
    labels[i] = y;
  }
  return { images: img.data as Uint8Array, labels, shape: [n, img.shape[1] as number, img.shape[2] as number] };
}

async function loadIdxDataset(
  name: 'fashion-mnist' | 'mnist',
  classNames: readonly string[],
  opts: LoadOptions,
): Promise<Dataset> {
  const { files } = locateDataset(name, opts.split, opts.dataDir);
  const [imagesPath, labelsPath] = files as [string, string];
  const stats = resolveNormalization(opts.normalization ?? 'standard', NORMALIZATION_CONSTANTS[name], 1);
  const pair = await readIdxPair(imagesPath, labelsPath, classNames.length, opts.limit);
  const [n, h, w] = pair.shape;
  return createDataset({
    name: `${name}/${opts.split}`,
    images: normalizeBytes(pair.images, stats),
    shape: [n, h, w, 1],
    labels: pair.labels,
    classNames,
    source: imagesPath,
  });
}

/**
 * Fashion-MNIST (Xiao et al. 2017), 28×28 grey, 10 classes, 60,000 train and
 * 10,000 test. Looks in `dataDir`, else $METANET_DATA_DIR, else
 * /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist).
 */
export function loadFashionMnist(opts: LoadOptions): Promise<Dataset> {
  return loadIdxDataset('fashion-mnist', FASHION_MNIST_CLASS_NAMES, opts);
}

/** MNIST from `dataDir` or $METANET_DATA_DIR (no system copy is looked for). */
export function loadMnist(opts: LoadOptions): Promise<Dataset> {
  return loadIdxDataset('mnist', MNIST_CLASS_NAMES, opts);
}
