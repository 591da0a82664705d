/**
 * Eval-mode outputs of a model over a whole dataset, on the host, in batches.
 * With `penultimate`, the net runs without its last dense layer, so the rows
 * are the features the classifier head sees (for probe recoverability).
 */
import { tf } from '@metanet/tensor';
import { forward } from '@metanet/nets';
import type { NetSpec } from '@metanet/spec';
import { datasetSize, type Dataset } from '@metanet/data';
import type { HostMatrix } from '@metanet/metrics';
import { NetDatasetMismatchError } from './errors';
import type { TrainedNet } from './types';

/** Options of prediction over a dataset: batch size, and whether to return the penultimate features instead of the logits. */
export interface PredictOptions {
  /** Default 256. */
  batchSize?: number;
  /** Return the input of the last dense layer instead of the logits. Default false. */
  penultimate?: boolean;
}

/** The spec and params of `model` up to (not including) its last dense layer. */
export function penultimateNet(model: TrainedNet): { spec: NetSpec; params: tf.Tensor[] } {
  const layers = model.spec.layers;
  let last = -1;
  layers.forEach((l, i) => {
    if (l.type === 'dense') last = i;
  });
  if (last < 0) throw new NetDatasetMismatchError(`${model.spec.name ?? 'the net'} has no dense layer; penultimate features need a dense classifier head`);
  // Params of the head are the trailing ones; count those of layers before it.
  const head = layers[last] as { type: 'dense'; bias?: boolean };
  const headParams = head.bias === false ? 1 : 2;
  const tail = layers.slice(last + 1).some((l) => l.type !== 'activation' && l.type !== 'dropout' && l.type !== 'flatten');
  if (tail) throw new NetDatasetMismatchError(`${model.spec.name ?? 'the net'} has parametrised layers after its last dense layer; penultimate features are undefined`);
  return { spec: { ...model.spec, layers: layers.slice(0, last) }, params: model.params.slice(0, model.params.length - headParams) };
}

/** A row-major float32 host matrix (what the metrics read). */
export interface OutputMatrix extends HostMatrix {
  readonly values: Float32Array;
}

/** Logits (or penultimate features) of every sample of `ds`, as an (N, K) host matrix. */
export function predictOutputs(model: TrainedNet, ds: Dataset, opts: PredictOptions = {}): OutputMatrix {
  const bs = opts.batchSize ?? 256;
  const { spec, params } = opts.penultimate ? penultimateNet(model) : model;
  const n = datasetSize(ds);
  const chunks: Float32Array[] = [];
  let cols = 0;
  for (let start = 0; start < n; start += bs) {
    const size = Math.min(bs, n - start);
    const out = tf.tidy(() => {
      const x = tf.slice(ds.images, [start, 0, 0, 0], [size, -1, -1, -1]);
      const y = forward(spec, params, x, { buffers: model.buffers, training: false });
      return tf.reshape(y, [size, -1]);
    });
    cols = out.shape[1] as number;
    chunks.push(out.dataSync() as Float32Array);
    out.dispose();
  }
  if (n === 0) cols = 0;
  const values = new Float32Array(n * cols);
  let off = 0;
  for (const c of chunks) {
    values.set(c, off);
    off += c.length;
  }
  return { values, rows: n, cols };
}
