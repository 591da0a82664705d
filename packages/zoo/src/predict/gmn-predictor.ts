/**
 * The GMN accuracy predictor (Lim et al. 2024; the task of Unterthiner et al. 2020): each net's
 * parameter graph, its values standardised per tensor (`gmn-inputs.ts`), through a GMN whose
 * graph-level head gives an invariant embedding; that embedding and the net's z-scored weight
 * statistics go through a small MLP (`gmn-readout.ts`) to one logit, a sigmoid, BCE against the
 * test accuracy, Adam, and early stopping on validation Kendall τ: the epoch with the best τ is
 * kept, and training stops after `patience` epochs without a better one.
 *
 * Measured on a 221-run Small CNN Zoo, 3 seeds on one NFN split (results/small-cnn-221-runs/README.md):
 * τ 0.608 ± 0.045, up from 0.3 without the per-tensor scaling, but below StatNN's 0.768 ± 0.015 and below the
 * statistics-only readout (0.671), so the GMN embedding does not yet add to the statistics at 88 training nets. Batch 8, as StatNN's: patience counts epochs, and
 * at batch 32 a 51-net training set gave 2 Adam steps per epoch and froze seeds at constant
 * predictions. A small-cnn graph has 4,970 edges, so a batch of 8 is far inside the wasm heap.
 */
import { GMN, readGMN, saveGMN, type GMNConfig, type GraphTensors, type SavedGMN } from '@metanet/mpnn';
import { createRng, tf } from '@metanet/tensor';
import { bceWithLogits } from '../baselines/mlp-regressor';
import { EmptySplitError, InvalidPredictionInputError } from './errors';
import { fitInputScaling, NO_SCALING, scaledGraphOf, scaledStats, type GmnInputScaling } from './gmn-inputs';
import { StatReadout, type SavedReadout } from './gmn-readout';
import { selectionTau } from './score';
import { targetOf, yieldToEventLoop, type FitOptions, type FitReport, type PredictionMethod, type Predictor, type ZooEntry } from './types';

/** GMN predictor defaults; every GMNConfig field can be overridden through `config`. */
export const GMN_PREDICTOR_DEFAULTS = {
  config: { hidden: 32, globalHidden: 32, layers: 3, aggregation: 'mean' } satisfies Partial<GMNConfig>,
  embed: 16,
  readoutHidden: 64,
  normalize: true,
  stats: true,
  weightDecay: 0,
  epochs: 20,
  batchSize: 8,
  lr: 1e-3,
  patience: 5,
  evalBatchSize: 64,
};

export interface GmnFitOptions extends FitOptions {
  /** Overrides of the GMN architecture. */
  readonly config?: Partial<GMNConfig>;
  /** Epochs without a better val τ before stopping. Default 5. */
  readonly patience?: number;
  /** Width of the GMN's graph-level embedding fed to the readout. Default 16. */
  readonly embed?: number;
  /** Hidden width of the readout MLP. Default 64. */
  readonly readoutHidden?: number;
  /** Standardise parameter values per tensor with the training nets' mean and std. Default true. */
  readonly normalize?: boolean;
  /** Feed the nets' z-scored weight statistics to the readout. Default true. */
  readonly stats?: boolean;
  /** L2 penalty on every trained weight, added to the loss. Default 0. */
  readonly weightDecay?: number;
}

/** A GMN, its readout and the input scaling they were trained with. */
interface GmnParts {
  readonly model: GMN;
  readonly readout: StatReadout;
  readonly scaling: GmnInputScaling;
}

/** One uploaded batch: graphs and their statistics rows. */
interface Batch {
  readonly graphs: GraphTensors;
  readonly stats: tf.Tensor2D | null;
  readonly size: number;
}

function uploadBatch(p: GmnParts, entries: readonly ZooEntry[]): Batch {
  const cols = p.scaling.statShift.length;
  const stats = cols > 0 ? tf.tensor2d(scaledStats(entries, p.scaling), [entries.length, cols]) : null;
  return { graphs: p.model.graphTensors(entries.map((e) => scaledGraphOf(e, p.scaling))), stats, size: entries.length };
}

function disposeBatch(b: Batch): void {
  b.graphs.dispose();
  b.stats?.dispose();
}

function logits(p: GmnParts, b: Batch, options: { training: boolean; seed?: number }): tf.Tensor2D {
  return p.readout.apply(p.model.apply(b.graphs, options).graph!, b.stats);
}

/** Sigmoid outputs for already uploaded batches, concatenated. */
function predictBatches(p: GmnParts, batches: readonly Batch[]): Float32Array {
  const out = new Float32Array(batches.reduce((n, b) => n + b.size, 0));
  let at = 0;
  for (const b of batches) {
    out.set(tf.tidy(() => tf.sigmoid(logits(p, b, { training: false })).dataSync()), at);
    at += b.size;
  }
  return out;
}

function predictEntries(p: GmnParts, entries: readonly ZooEntry[], batchSize = GMN_PREDICTOR_DEFAULTS.evalBatchSize): Float32Array {
  const out = new Float32Array(entries.length);
  for (let s = 0; s < entries.length; s += batchSize) {
    const b = uploadBatch(p, entries.slice(s, s + batchSize));
    try {
      out.set(predictBatches(p, [b]), s);
    } finally {
      disposeBatch(b);
    }
  }
  return out;
}

function gmnPredictor(p: GmnParts): Predictor {
  return {
    method: 'gmn',
    predict: (entries) => predictEntries(p, entries),
    save: (dir) => void saveGMN(dir, p.model, { predictor: { method: 'gmn', scaling: p.scaling, readout: p.readout.save() } }),
    dispose: () => {
      p.model.dispose();
      p.readout.dispose();
    },
  };
}

function variablesOf(p: GmnParts): tf.Variable[] {
  return [...p.model.trainableVariables, ...p.readout.variables];
}

function snapshot(vars: readonly tf.Variable[]): Float32Array[] {
  return vars.map((v) => v.dataSync().slice() as Float32Array);
}

function restoreSnapshot(vars: readonly tf.Variable[], weights: readonly Float32Array[]): void {
  tf.tidy(() => vars.forEach((v, i) => v.assign(tf.tensor(weights[i]!, v.shape))));
}

function resolve(options: GmnFitOptions) {
  const d = GMN_PREDICTOR_DEFAULTS;
  return {
    epochs: options.epochs ?? d.epochs,
    batchSize: options.batchSize ?? d.batchSize,
    patience: options.patience ?? d.patience,
    seed: options.seed ?? 0,
    embed: options.embed ?? d.embed,
    readoutHidden: options.readoutHidden ?? d.readoutHidden,
    normalize: options.normalize ?? d.normalize,
    stats: options.stats ?? d.stats,
    weightDecay: options.weightDecay ?? d.weightDecay,
    lr: options.lr ?? d.lr,
  };
}

function buildParts(train: readonly ZooEntry[], o: ReturnType<typeof resolve>, config: Partial<GMNConfig> | undefined): GmnParts {
  const fitted = fitInputScaling(train);
  const scaling: GmnInputScaling = {
    paramShift: o.normalize ? fitted.paramShift : [],
    paramScale: o.normalize ? fitted.paramScale : [],
    statShift: o.stats ? fitted.statShift : NO_SCALING.statShift,
    statScale: o.stats ? fitted.statScale : NO_SCALING.statScale,
  };
  const model = new GMN({ ...GMN_PREDICTOR_DEFAULTS.config, ...config, graphOutputs: o.embed, edgeOutputs: 0, seed: o.seed });
  const readout = new StatReadout(o.embed + scaling.statShift.length, o.readoutHidden, o.seed ^ 0x2ead);
  return { model, readout, scaling };
}

/** Trains a GMN predictor; see the module comment for the protocol. */
export async function fitGmn(
  train: readonly ZooEntry[],
  val: readonly ZooEntry[],
  options: GmnFitOptions = {},
): Promise<{ predictor: Predictor; report: FitReport }> {
  if (train.length === 0 || val.length === 0) throw new EmptySplitError(`training needs nets in train and val (got ${train.length} and ${val.length}); use a larger zoo`);
  const o = resolve(options);
  const started = performance.now();
  const parts = buildParts(train, o, options.config);
  const vars = variablesOf(parts);
  const opt = tf.train.adam(o.lr);
  const rng = createRng(o.seed ^ 0x6a1);
  const order = Array.from({ length: train.length }, (_, i) => i);
  const valY = Float32Array.from(val, targetOf);
  // The val graphs are scored every epoch: uploaded once (encoding them costs about as much as a forward pass).
  const valBatches: Batch[] = [];
  for (let s = 0; s < val.length; s += GMN_PREDICTOR_DEFAULTS.evalBatchSize) valBatches.push(uploadBatch(parts, val.slice(s, s + GMN_PREDICTOR_DEFAULTS.evalBatchSize)));
  let best = { tau: -Infinity, epoch: 0, weights: snapshot(vars) };
  let epoch = 0;
  let step = 0;
  try {
    while (epoch < o.epochs && epoch - best.epoch < o.patience) {
      epoch++;
      rng.shuffle(order);
      let lossSum = 0;
      for (let s = 0; s < order.length; s += o.batchSize) {
        const picked = order.slice(s, s + o.batchSize).map((i) => train[i]!);
        const batch = uploadBatch(parts, picked);
        const y = tf.tensor2d(picked.map(targetOf), [picked.length, 1]);
        try {
          const loss = opt.minimize(() => {
            const bce = bceWithLogits(logits(parts, batch, { training: true, seed: o.seed + step }), y);
            if (o.weightDecay === 0) return bce;
            return tf.add(bce, tf.mul(o.weightDecay, tf.addN(vars.map((v) => tf.sum(tf.square(v)))))) as tf.Scalar;
          }, true, vars)!;
          const value = loss.dataSync()[0]!;
          loss.dispose();
          if (!Number.isFinite(value)) throw new InvalidPredictionInputError(`loss is ${value} at step ${step}; lower the learning rate (--lr) or check the zoo's weights`);
          lossSum += picked.length * value;
        } finally {
          disposeBatch(batch);
          y.dispose();
        }
        step++;
      }
      const valTau = selectionTau(valY, predictBatches(parts, valBatches));
      if (valTau > best.tau) best = { tau: valTau, epoch, weights: snapshot(vars) };
      options.onEpoch?.({ epoch, epochs: o.epochs, trainLoss: lossSum / train.length, valTau });
      await yieldToEventLoop();
    }
  } catch (e) {
    gmnPredictor(parts).dispose();
    throw e;
  } finally {
    opt.dispose();
    valBatches.forEach(disposeBatch);
  }
  restoreSnapshot(vars, best.weights);
  return { predictor: gmnPredictor(parts), report: { bestEpoch: best.epoch, bestValTau: best.tau, epochsRun: epoch, trainMs: performance.now() - started } };
}

/** Rebuilds a GMN predictor from a saved GMN bundle. */
export function restoreGmn(dir: string): Predictor {
  const saved: SavedGMN = readGMN(dir);
  const p = saved.meta.predictor as { method?: unknown; scaling?: GmnInputScaling; readout?: SavedReadout } | undefined;
  if (p?.method !== 'gmn') throw new InvalidPredictionInputError(`${dir} holds a GMN but not a saved accuracy predictor; train one with metanet predict-acc train --method gmn`);
  if (typeof p.scaling !== 'object' || typeof p.readout !== 'object') {
    throw new InvalidPredictionInputError(`${dir} holds a GMN predictor without its input scaling and readout (an older save); train it again with metanet predict-acc train --method gmn`);
  }
  const model = new GMN(saved.config);
  tf.tidy(() => {
    for (const [n, v] of model.getWeights()) {
      const w = saved.weights.get(n)!;
      v.assign(tf.tensor(w.data, w.shape));
    }
  });
  return gmnPredictor({ model, readout: StatReadout.restore(p.readout), scaling: p.scaling });
}

/** The GMN accuracy predictor as a prediction method. */
export const gmn: PredictionMethod = {
  name: 'gmn',
  description: 'GMN on the per-tensor standardised parameter graph; its graph embedding and the weight statistics → MLP → sigmoid (BCE, early stopping on val τ)',
  fit: (train, val, options) => fitGmn(train, val, options),
};
