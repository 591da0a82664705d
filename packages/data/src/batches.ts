/**
 * Minibatches. Index order is decided on the host (a seeded permutation),
 * and each batch is one `tf.gather` of the rows, so an epoch allocates only
 * the batch tensors themselves.
 *
 * Ownership: `batches()` yields tensors that the consumer must dispose (or
 * let a surrounding `tf.tidy`/`dispose` handle). `forEachBatch()` disposes
 * them for you after the callback returns (or its promise settles).
 */
import { tf } from '@metanet/tensor';
import { datasetSize } from './dataset';
import { InvalidDatasetOptionsError } from './errors';
import { permutation } from './rng';
import type { Dataset } from './types';

/** Options of batching: batch size, shuffling seed and whether to drop the last partial batch. */
export interface BatchOptions {
  readonly batchSize: number;
  /** Shuffle sample order (default false: dataset order). */
  readonly shuffle?: boolean;
  /** Seed of the shuffle; required when shuffle is true, so runs are reproducible. */
  readonly seed?: number;
  /** Drop the last batch when it is smaller than batchSize (default false). */
  readonly dropLast?: boolean;
  /** Restrict to these sample indices (e.g. a split), in this order before shuffling. */
  readonly indices?: Int32Array;
}

/** One minibatch: images and labels as tensors the caller disposes. */
export interface Batch {
  /** (B, H, W, C) float32. */
  readonly x: tf.Tensor4D;
  /** (B) int32 labels. */
  readonly y: tf.Tensor1D;
  /** Dataset indices of the rows, host side. */
  readonly indices: Int32Array;
}

/** The index order of an epoch, cut into batches (host only, no tensors). */
export function batchIndices(n: number, opts: BatchOptions): Int32Array[] {
  const { batchSize } = opts;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidDatasetOptionsError(`batchSize must be an integer ≥ 1, got ${batchSize}`);
  if (opts.shuffle && (opts.seed === undefined || !Number.isInteger(opts.seed))) {
    throw new InvalidDatasetOptionsError('shuffle needs an integer seed; pass { shuffle: true, seed }');
  }
  let order: Int32Array;
  if (opts.indices) {
    for (const i of opts.indices) if (i < 0 || i >= n) throw new InvalidDatasetOptionsError(`index ${i} is outside [0, ${n}); use indices from a split of this dataset`);
    order = opts.indices;
    if (opts.shuffle) {
      const p = permutation(order.length, opts.seed as number);
      order = p.map((j) => order[j] as number);
    }
  } else {
    order = opts.shuffle ? permutation(n, opts.seed as number) : Int32Array.from({ length: n }, (_, i) => i);
  }
  const out: Int32Array[] = [];
  for (let s = 0; s < order.length; s += batchSize) {
    const b = order.subarray(s, Math.min(s + batchSize, order.length));
    if (b.length < batchSize && opts.dropLast) break;
    out.push(b.slice());
  }
  return out;
}

/**
 * Yields the batches of one epoch. The caller owns each `{x, y}` and must
 * dispose it (e.g. `tf.dispose([b.x, b.y])`).
 */
export function* batches(ds: Dataset, opts: BatchOptions): Generator<Batch, void, undefined> {
  for (const indices of batchIndices(datasetSize(ds), opts)) {
    const [x, y] = tf.tidy(() => {
      const idx = tf.tensor1d(indices, 'int32');
      return [tf.gather(ds.images, idx) as tf.Tensor4D, tf.gather(ds.labels, idx) as tf.Tensor1D] as const;
    });
    yield { x, y, indices };
  }
}

/**
 * Runs `fn` on each batch of one epoch, disposing `x` and `y` after it
 * returns (awaited if it returns a promise). Tensors `fn` creates are its own
 * business: wrap the body in `tf.tidy` when it is synchronous.
 */
export async function forEachBatch(
  ds: Dataset,
  opts: BatchOptions,
  fn: (batch: Batch, step: number) => void | Promise<void>,
): Promise<void> {
  let step = 0;
  for (const b of batches(ds, opts)) {
    try {
      await fn(b, step++);
    } finally {
      b.x.dispose();
      b.y.dispose();
    }
  }
}
