/**
 * Building, disposing and sub-setting `Dataset`s. Index bookkeeping (splits)
 * happens on the host with Int32Arrays; tensors are only touched to gather the
 * selected rows, inside `tf.tidy` so nothing leaks.
 */
import { tf } from '@metanet/tensor';
import { InvalidDatasetOptionsError } from './errors';
import type { Dataset } from './types';

/** What a `Dataset` is made from: its name, images (N×H×W×C, channels last) and labels. */
export interface DatasetInit {
  readonly name: string;
  /** N*H*W*C float32, channels last. */
  readonly images: Float32Array;
  readonly shape: readonly [number, number, number, number];
  readonly labels: Int32Array;
  readonly classNames: readonly string[];
  readonly source: string;
}

const hostLabels = new WeakMap<Dataset, Int32Array>();

/** Wraps host arrays as a `Dataset` (copies nothing on the cpu backend). */
export function createDataset(init: DatasetInit): Dataset {
  const [n, h, w, c] = init.shape;
  if (init.images.length !== n * h * w * c) {
    throw new InvalidDatasetOptionsError(`images hold ${init.images.length} values but shape ${init.shape.join('x')} needs ${n * h * w * c}; pass matching arrays`);
  }
  if (init.labels.length !== n) {
    throw new InvalidDatasetOptionsError(`${init.labels.length} labels for ${n} images; pass one label per image`);
  }
  const k = init.classNames.length;
  for (let i = 0; i < n; i++) {
    const y = init.labels[i] as number;
    if (y < 0 || y >= k) throw new InvalidDatasetOptionsError(`label ${y} at index ${i} is outside [0, ${k}); fix the labels or the class names`);
  }
  const ds: Dataset = {
    name: init.name,
    images: tf.tensor4d(init.images, [n, h, w, c], 'float32'),
    labels: tf.tensor1d(init.labels, 'int32'),
    classNames: [...init.classNames],
    source: init.source,
  };
  hostLabels.set(ds, init.labels.slice());
  return ds;
}

/** Frees the dataset's tensors. Safe to call twice. */
export function disposeDataset(ds: Dataset): void {
  if (!ds.images.isDisposed) ds.images.dispose();
  if (!ds.labels.isDisposed) ds.labels.dispose();
  hostLabels.delete(ds);
}

/** Number of samples. */
export function datasetSize(ds: Dataset): number {
  return ds.images.shape[0];
}

/**
 * Host copy of the labels (cached per dataset; do not mutate). Splits work on
 * this, so asking for one never creates tensors.
 */
export function labelsOf(ds: Dataset): Int32Array {
  let y = hostLabels.get(ds);
  if (!y) {
    y = ds.labels.dataSync() as Int32Array;
    hostLabels.set(ds, y);
  }
  return y;
}

function checkIndices(ds: Dataset, indices: Int32Array): void {
  const n = datasetSize(ds);
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i] as number;
    if (v < 0 || v >= n) throw new InvalidDatasetOptionsError(`index ${v} is outside [0, ${n}) of ${ds.name}; use indices from a split of this dataset`);
  }
}

/**
 * The samples at `indices`, in that order, as a new `Dataset` that owns its
 * tensors (dispose it separately from `ds`).
 */
export function subsetDataset(ds: Dataset, indices: Int32Array, name = `${ds.name}[subset]`): Dataset {
  checkIndices(ds, indices);
  const [images, labels] = tf.tidy(() => {
    const idx = tf.tensor1d(indices, 'int32');
    return [tf.gather(ds.images, idx) as tf.Tensor4D, tf.gather(ds.labels, idx) as tf.Tensor1D] as const;
  });
  const y = labelsOf(ds);
  const sub: Dataset = { name, images, labels, classNames: ds.classNames, source: ds.source };
  const subLabels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) subLabels[i] = y[indices[i] as number] as number;
  hostLabels.set(sub, subLabels);
  return sub;
}

/** Count of samples per class, length `classNames.length`. */
export function classCounts(ds: Dataset): Int32Array {
  return countLabels(labelsOf(ds), ds.classNames.length);
}

/** Count of each label in [0, numClasses). */
export function countLabels(labels: Int32Array, numClasses: number): Int32Array {
  const counts = new Int32Array(numClasses);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    if (y >= 0 && y < numClasses) counts[y] = (counts[y] as number) + 1;
  }
  return counts;
}
