/**
 * The MLP every vector baseline shares (StatNN, hyperparameters only, flat weights): a nets MLP
 * spec (`mlp:IN-H-…-1`, ReLU between layers) run by nets' `forward`, a sigmoid on its one output,
 * BCE against the test accuracy, Adam, and the epoch kept that scores best on validation τ, as
 * the NFN predict_gen loop does (it saves `best_tau.pt` after every epoch and tests that one).
 * Being a nets spec, a trained regressor saves and loads with nets' bundle code.
 */
import { forward, initParamArrays } from '@metanet/nets';
import { architecture, paramInfos, type NetSpec } from '@metanet/spec';
import { createRng, tf, variableFrom } from '@metanet/tensor';
import { EmptySplitError } from '../predict/errors';
import { selectionTau } from '../predict/score';
import { yieldToEventLoop, type FitProgress, type FitReport } from '../predict/types';

/** Rows of features, one per net, row-major. */
export interface FeatureMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
}

export interface MlpRegressorOptions {
  /** Hidden widths. StatNN: [1000, 1000]. */
  readonly hidden: readonly number[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly seed: number;
  /** Z-score each feature with the training set's mean and std (StatNN: off, as in NFN's stat.yaml). */
  readonly standardize: boolean;
  readonly onEpoch?: (p: FitProgress) => void;
}

/** A trained MLP regressor: spec, weights and the feature scaling it was trained with. */
export interface MlpRegressor {
  readonly spec: NetSpec;
  readonly params: tf.Variable[];
  /** Per-feature shift and scale applied before the MLP (0 and 1 without standardisation). */
  readonly shift: Float32Array;
  readonly scale: Float32Array;
}

function scaling(x: FeatureMatrix, standardize: boolean): { shift: Float32Array; scale: Float32Array } {
  const shift = new Float32Array(x.cols);
  const scale = new Float32Array(x.cols).fill(1);
  if (!standardize) return { shift, scale };
  for (let c = 0; c < x.cols; c++) {
    let m = 0;
    for (let r = 0; r < x.rows; r++) m += x.data[r * x.cols + c]!;
    m /= x.rows;
    let v = 0;
    for (let r = 0; r < x.rows; r++) v += (x.data[r * x.cols + c]! - m) ** 2;
    const sd = Math.sqrt(v / x.rows);
    shift[c] = m;
    // A feature constant over the training nets carries nothing; scale 1 keeps it finite.
    scale[c] = sd > 1e-12 ? sd : 1;
  }
  return { shift, scale };
}

function inputs(model: Pick<MlpRegressor, 'shift' | 'scale'>, x: FeatureMatrix, rows: ArrayLike<number>): tf.Tensor2D {
  const out = new Float32Array(rows.length * x.cols);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    for (let c = 0; c < x.cols; c++) out[i * x.cols + c] = (x.data[r * x.cols + c]! - model.shift[c]!) / model.scale[c]!;
  }
  return tf.tensor2d(out, [rows.length, x.cols]);
}

/** Predicted accuracies (sigmoid outputs) for every row of `x`. */
export function predictMlp(model: MlpRegressor, x: FeatureMatrix, batchSize = 1024): Float32Array {
  const out = new Float32Array(x.rows);
  for (let start = 0; start < x.rows; start += batchSize) {
    const rows = Array.from({ length: Math.min(batchSize, x.rows - start) }, (_, i) => start + i);
    const y = tf.tidy(() => tf.sigmoid(forward(model.spec, model.params, inputs(model, x, rows))).dataSync());
    out.set(y, start);
  }
  return out;
}

/** BCE(sigmoid(z), y) in the form that cannot overflow: softplus(z) − y·z. */
export function bceWithLogits(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.mean(tf.sub(tf.softplus(logits), tf.mul(targets, logits))) as tf.Scalar;
}

/** Builds an MLP regressor from saved parts (for loading). */
export function mlpFromArrays(spec: NetSpec, params: readonly Float32Array[], shift: Float32Array, scale: Float32Array): MlpRegressor {
  const infos = paramInfos(spec);
  return { spec, params: params.map((p, i) => variableFrom(tf.tensor(p, infos[i]!.shape))), shift, scale };
}

/**
 * Trains an MLP regressor on (x, y) with BCE and Adam, and keeps the epoch with the best τ on
 * (valX, valY). Targets are accuracies in [0, 1].
 */
export async function fitMlpRegressor(
  x: FeatureMatrix,
  y: Float32Array,
  valX: FeatureMatrix,
  valY: Float32Array,
  o: MlpRegressorOptions,
): Promise<{ model: MlpRegressor; report: FitReport }> {
  if (x.rows === 0 || valX.rows === 0) throw new EmptySplitError(`training needs nets in train and val (got ${x.rows} and ${valX.rows}); use a larger zoo`);
  const started = performance.now();
  const spec = architecture(`mlp:${[x.cols, ...o.hidden, 1].join('-')}`);
  const { shift, scale } = scaling(x, o.standardize);
  const model = mlpFromArrays(spec, initParamArrays(spec, { seed: o.seed }), shift, scale);
  const opt = tf.train.adam(o.lr);
  const rng = createRng(o.seed ^ 0x5a7);
  const order = Array.from({ length: x.rows }, (_, i) => i);
  let best = { tau: -Infinity, epoch: 0, params: model.params.map((p) => p.dataSync().slice()) };
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    rng.shuffle(order);
    let lossSum = 0;
    for (let s = 0; s < order.length; s += o.batchSize) {
      const rows = order.slice(s, s + o.batchSize);
      const loss = opt.minimize(
        () => bceWithLogits(forward(spec, model.params, inputs(model, x, rows)), tf.tensor2d(rows.map((r) => y[r]!), [rows.length, 1])),
        true,
        model.params,
      );
      lossSum += loss!.dataSync()[0]! * rows.length;
      loss!.dispose();
    }
    const valTau = selectionTau(valY, predictMlp(model, valX));
    if (valTau > best.tau) best = { tau: valTau, epoch, params: model.params.map((p) => p.dataSync().slice()) };
    o.onEpoch?.({ epoch, epochs: o.epochs, trainLoss: lossSum / x.rows, valTau });
    await yieldToEventLoop();
  }
  opt.dispose();
  tf.tidy(() => model.params.forEach((p, i) => p.assign(tf.tensor(best.params[i]!, p.shape))));
  return { model, report: { bestEpoch: best.epoch, bestValTau: best.tau, epochsRun: o.epochs, trainMs: performance.now() - started } };
}

/** Frees the regressor's variables. */
export function disposeMlp(model: MlpRegressor): void {
  tf.dispose(model.params);
}
