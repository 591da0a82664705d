import type { tf } from '@metanet/tensor';

/** An image classification dataset held as tensors. */
export interface Dataset {
  /** Short id, e.g. 'fashion-mnist/train' or 'synthetic-shapes/train'. */
  readonly name: string;
  /** (N, H, W, C) float32, normalised. */
  readonly images: tf.Tensor4D;
  /** (N) int32 class ids in [0, classNames.length). */
  readonly labels: tf.Tensor1D;
  readonly classNames: readonly string[];
  /** Where the data came from, e.g. '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz'. */
  readonly source: string;
}
