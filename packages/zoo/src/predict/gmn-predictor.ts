/**
 * The GMN accuracy predictor (Lim et al. 2024; the task of Unterthiner et al. 2020): each net's
 * parameter graph through a GMN whose graph-level head (a DeepSets readout over nodes and edges)
 * gives one logit, a sigmoid, BCE against the test accuracy, Adam, and early stopping on
 * validation Kendall τ: the epoch with the best τ is kept, and training stops after `patience`
 * epochs without a better one.
 *
 * Defaults (hidden 32, 3 layers, sum aggregation, batch 8, lr 1e-3, at most 30 epochs, patience 8) are
 * sized for the 2-core machine: a small-cnn graph has 4,970 edges, so even a batch of 32 (~160k edges)
 * fits the wasm heap budget, and a training step costs ~140 ms per net at batch 64 (~320 ms at batch 16,
 * where per-step overhead weighs more), measured with `npm run bench:predict` (README, "Speed"). The
 * batch is 8, as StatNN's, because patience counts epochs: on a 129-run zoo (51 training nets) batch 32
 * gave 2 Adam steps per epoch, and two of three seeds stopped after ~16 steps with constant predictions.
 */
import type { ParameterGraph } from '@metanet/graph';
import { toParameterGraph } from '@metanet/graph';
import { GMN, readGMN, saveGMN, trainStep, type GMNConfig, type GraphTensors, type SavedGMN } from '@metanet/mpnn';
import { createRng, tf } from '@metanet/tensor';
import { bceWithLogits } from '../baselines/mlp-regressor';
import { EmptySplitError, InvalidPredictionInputError } from './errors';
import { selectionTau } from './score';
import { targetOf, yieldToEventLoop, type FitOptions, type FitReport, type PredictionMethod, type Predictor, type ZooEntry } from './types';

/** GMN predictor defaults; every GMNConfig field can be overridden through `config`. */
export const GMN_PREDICTOR_DEFAULTS = {
  config: { hidden: 32, globalHidden: 32, layers: 3, graphOutputs: 1, edgeOutputs: 0 } satisfies Partial<GMNConfig>,
  epochs: 30,
  batchSize: 8,
  lr: 1e-3,
  patience: 8,
  evalBatchSize: 64,
};

export interface GmnFitOptions extends FitOptions {
  /** Overrides of the GMN architecture. */
  readonly config?: Partial<GMNConfig>;
  /** Epochs without a better val τ before stopping. Default 8. */
  readonly patience?: number;
}

const graphCache = new WeakMap<ZooEntry, ParameterGraph>();

/** The parameter graph of a zoo net, built once per entry. */
export function graphOf(entry: ZooEntry): ParameterGraph {
  let g = graphCache.get(entry);
  if (!g) {
    g = toParameterGraph(entry.net.spec, entry.net.params, { strict: true });
    graphCache.set(entry, g);
  }
  return g;
}

/** Sigmoid outputs of the GMN for already uploaded batches, concatenated. */
function predictBatches(model: GMN, batches: readonly GraphTensors[]): Float32Array {
  const out = new Float32Array(batches.reduce((n, b) => n + b.numGraphs, 0));
  let at = 0;
  for (const batch of batches) {
    out.set(tf.tidy(() => tf.sigmoid(model.apply(batch).graph!).dataSync()), at);
    at += batch.numGraphs;
  }
  return out;
}

/** Sigmoid outputs of the GMN for every entry, in batches of `batchSize` graphs. */
export function predictGmn(model: GMN, entries: readonly ZooEntry[], batchSize = GMN_PREDICTOR_DEFAULTS.evalBatchSize): Float32Array {
  const out = new Float32Array(entries.length);
  for (let s = 0; s < entries.length; s += batchSize) {
    const batch = model.graphTensors(entries.slice(s, s + batchSize).map(graphOf));
    try {
      out.set(predictBatches(model, [batch]), s);
    } finally {
      batch.dispose();
    }
  }
  return out;
}

function gmnPredictor(model: GMN): Predictor {
  return {
    method: 'gmn',
    predict: (entries) => predictGmn(model, entries),
    save: (dir) => void saveGMN(dir, model, { predictor: { method: 'gmn' } }),
    dispose: () => model.dispose(),
  };
}

function snapshot(model: GMN): Map<string, Float32Array> {
  return new Map([...model.getWeights()].map(([n, v]) => [n, v.dataSync().slice() as Float32Array]));
}

function restoreSnapshot(model: GMN, weights: Map<string, Float32Array>): void {
  tf.tidy(() => {
    for (const [n, v] of model.getWeights()) v.assign(tf.tensor(weights.get(n)!, v.shape));
  });
}

/** Trains a GMN predictor; see the module comment for the protocol. */
export async function fitGmn(
  train: readonly ZooEntry[],
  val: readonly ZooEntry[],
  options: GmnFitOptions = {},
): Promise<{ predictor: Predictor; report: FitReport }> {
  if (train.length === 0 || val.length === 0) throw new EmptySplitError(`training needs nets in train and val (got ${train.length} and ${val.length}); use a larger zoo`);
  const d = GMN_PREDICTOR_DEFAULTS;
  const epochs = options.epochs ?? d.epochs;
  const batchSize = options.batchSize ?? d.batchSize;
  const patience = options.patience ?? d.patience;
  const seed = options.seed ?? 0;
  const started = performance.now();
  const model = new GMN({ ...d.config, ...options.config, graphOutputs: 1, edgeOutputs: 0, seed });
  const opt = tf.train.adam(options.lr ?? d.lr);
  const rng = createRng(seed ^ 0x6a1);
  const order = Array.from({ length: train.length }, (_, i) => i);
  const valY = Float32Array.from(val, targetOf);
  // The val graphs are scored every epoch: uploaded once (encoding them costs about as much as a forward pass).
  const valBatches: GraphTensors[] = [];
  for (let s = 0; s < val.length; s += d.evalBatchSize) valBatches.push(model.graphTensors(val.slice(s, s + d.evalBatchSize).map(graphOf)));
  let best = { tau: -Infinity, epoch: 0, weights: snapshot(model) };
  let epoch = 0;
  let step = 0;
  try {
    while (epoch < epochs && epoch - best.epoch < patience) {
      epoch++;
      rng.shuffle(order);
      let lossSum = 0;
      for (let s = 0; s < order.length; s += batchSize) {
        const picked = order.slice(s, s + batchSize).map((i) => train[i]!);
        const batch = model.graphTensors(picked.map(graphOf));
        const y = tf.tensor2d(picked.map(targetOf), [picked.length, 1]);
        try {
          lossSum += picked.length * trainStep(model, opt, [batch], (out) => bceWithLogits(out.graph!, y), { seed: seed + step, step });
        } finally {
          batch.dispose();
          y.dispose();
        }
        step++;
      }
      const valTau = selectionTau(valY, predictBatches(model, valBatches));
      if (valTau > best.tau) best = { tau: valTau, epoch, weights: snapshot(model) };
      options.onEpoch?.({ epoch, epochs, trainLoss: lossSum / train.length, valTau });
      await yieldToEventLoop();
    }
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    opt.dispose();
    valBatches.forEach((b) => b.dispose());
  }
  restoreSnapshot(model, best.weights);
  return { predictor: gmnPredictor(model), report: { bestEpoch: best.epoch, bestValTau: best.tau, epochsRun: epoch, trainMs: performance.now() - started } };
}

/** Rebuilds a GMN predictor from a saved GMN bundle. */
export function restoreGmn(dir: string): Predictor {
  const saved: SavedGMN = readGMN(dir);
  const p = saved.meta.predictor as { method?: unknown } | undefined;
  if (p?.method !== 'gmn') throw new InvalidPredictionInputError(`${dir} holds a GMN but not a saved accuracy predictor; train one with metanet predict-acc train --method gmn`);
  const model = new GMN(saved.config);
  tf.tidy(() => {
    for (const [n, v] of model.getWeights()) {
      const w = saved.weights.get(n)!;
      v.assign(tf.tensor(w.data, w.shape));
    }
  });
  return gmnPredictor(model);
}

/** The GMN accuracy predictor as a prediction method. */
export const gmn: PredictionMethod = {
  name: 'gmn',
  description: 'GMN on the parameter graph, graph-level head → sigmoid (BCE, early stopping on val τ)',
  fit: (train, val, options) => fitGmn(train, val, options),
};
