/**
 * Diagonal Fisher information of a classifier's parameters on a dataset, the
 * importance estimate shared by SSD and Fisher forgetting.
 *
 * Two estimators, because the two papers use two:
 * - `'true'` (empirical Fisher, SSD's `calc_importance`): the squared gradient
 *   of the batch-mean cross-entropy on the true labels, averaged over batches.
 *   It is cheap and its scale depends on the batch size, which is fine for SSD
 *   since only the ratio of two importances computed alike matters.
 * - `'sampled'` (the true Fisher, as in Golatkar et al. 2020): labels drawn from
 *   the model's own softmax. The score ∇log p(y|x) then has zero mean given x,
 *   so cross terms between samples vanish in expectation and the squared
 *   gradient of the batch *sum* is an unbiased estimate of the sum of the
 *   per-sample Fisher diagonals. Dividing by the sample count gives the mean
 *   per-sample Fisher without per-sample backward passes, which tfjs lacks.
 *
 * Forward passes run in eval mode (BN running statistics, no dropout), as both
 * reference implementations do, so the result is deterministic.
 */
import { createRng, shuffleInPlace, tf } from '@metanet/tensor';
import { forward } from '@metanet/nets';
import { datasetSize, type Dataset } from '@metanet/data';
import type { TrainedNet } from './types';

export type FisherLabels = 'true' | 'sampled';

export interface DiagonalFisherOptions {
  /** Samples per backward pass. */
  batchSize: number;
  labels: FisherLabels;
  /** Use a seeded random subset of at most this many samples; 0 or undefined = all. */
  maxSamples?: number;
  /** Seeds the subset and, for `'sampled'`, the label draws. */
  seed: number;
  /** Called after each batch with (batches done, total batches). */
  onBatch?: (done: number, total: number) => void;
}

export interface DiagonalFisher {
  /** One tensor per param, same shapes; the caller disposes them. */
  importance: tf.Tensor[];
  /** Backward passes made (the weight of this estimate when averaging two). */
  batches: number;
  samples: number;
}

/** A sample of a union of datasets: which dataset, which row. */
interface Pick {
  source: number;
  row: number;
}

/**
 * A seeded shuffled sample of at most `maxSamples` rows of the union of `sizes`
 * (all rows when `maxSamples` is 0 or undefined). Shuffled, so batches mix
 * the datasets as a shuffling data loader over D = D_r ∪ D_f would.
 */
export function samplePicks(sizes: readonly number[], maxSamples: number | undefined, seed: number): Pick[] {
  const all: Pick[] = [];
  sizes.forEach((n, source) => {
    for (let row = 0; row < n; row++) all.push({ source, row });
  });
  const take = maxSamples && maxSamples < all.length ? maxSamples : all.length;
  // The one shuffle, drawing only the last `take` slots: a uniform random sample in random order.
  shuffleInPlace(all, createRng(seed), take);
  return all.slice(all.length - take);
}

/** Images and labels of `picks`, grouped by source (row order inside a batch does not change its gradient). */
function gatherPicks(sources: readonly Dataset[], picks: readonly Pick[]): { x: tf.Tensor; y: tf.Tensor } {
  const xs: tf.Tensor[] = [];
  const ys: tf.Tensor[] = [];
  sources.forEach((ds, k) => {
    const rows = picks.filter((p) => p.source === k).map((p) => p.row);
    if (rows.length === 0) return;
    const sel = tf.tensor1d(Int32Array.from(rows), 'int32');
    xs.push(tf.gather(ds.images, sel));
    ys.push(tf.gather(ds.labels, sel));
  });
  return { x: xs.length === 1 ? (xs[0] as tf.Tensor) : tf.concat(xs, 0), y: ys.length === 1 ? (ys[0] as tf.Tensor) : tf.concat(ys, 0) };
}

/** Draws one label per row from softmax(logits) with `rng` (host side, so identical on every backend). */
function sampleLabels(probs: Float32Array, rows: number, cols: number, uniform: () => number): Int32Array {
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const u = uniform();
    let acc = 0;
    let pick = cols - 1;
    for (let j = 0; j < cols; j++) {
      acc += probs[i * cols + j] as number;
      if (u < acc) {
        pick = j;
        break;
      }
    }
    out[i] = pick;
  }
  return out;
}

/**
 * Diagonal Fisher of `model` on `data`, one dataset or the union of several
 * (see the module doc for the two estimators).
 */
export function diagonalFisher(model: TrainedNet, data: Dataset | readonly Dataset[], opts: DiagonalFisherOptions): DiagonalFisher {
  const sources: readonly Dataset[] = Array.isArray(data) ? data : [data as Dataset];
  const picks = samplePicks(sources.map((d) => datasetSize(d)), opts.maxSamples, opts.seed);
  const n = picks.length;
  const bs = Math.max(1, Math.floor(opts.batchSize));
  const total = Math.ceil(n / bs);
  const rng = createRng((opts.seed ^ 0x5f3759df) >>> 0);
  const { spec, buffers } = model;
  let acc = model.params.map((p) => tf.zerosLike(p));
  for (let b = 0; b < total; b++) {
    const batch = picks.slice(b * bs, Math.min(n, (b + 1) * bs));
    const next = tf.tidy(() => {
      const { x, y: yTrue } = gatherPicks(sources, batch);
      const loss = (...ps: tf.Tensor[]): tf.Scalar => {
        const logits = forward(spec, ps, x, { training: false, buffers });
        const logp = tf.logSoftmax(logits);
        const k = logits.shape[1] as number;
        let y: tf.Tensor = yTrue;
        if (opts.labels === 'sampled') {
          const probs = tf.exp(logp).dataSync() as Float32Array;
          y = tf.tensor1d(sampleLabels(probs, batch.length, k, rng.uniform), 'int32');
        }
        const nll = tf.neg(tf.sum(tf.mul(tf.oneHot(tf.cast(y, 'int32') as tf.Tensor1D, k), logp)));
        return (opts.labels === 'sampled' ? nll : tf.div(nll, batch.length)) as tf.Scalar;
      };
      const grads = tf.grads(loss)(model.params);
      return acc.map((a, k) => tf.add(a, tf.square(grads[k] as tf.Tensor)));
    });
    tf.dispose(acc);
    acc = next;
    opts.onBatch?.(b + 1, total);
  }
  const denom = opts.labels === 'sampled' ? Math.max(n, 1) : Math.max(total, 1);
  const importance = acc.map((a) => tf.div(a, denom));
  tf.dispose(acc);
  return { importance, batches: total, samples: n };
}
