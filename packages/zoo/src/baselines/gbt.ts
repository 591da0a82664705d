/**
 * Gradient-boosted trees on StatNN's statistics, the tree baseline of Unterthiner et al. 2020 (their
 * GBM on weight statistics ranked about as well as their DNN). Squared error on the test accuracy,
 * depth-limited regression trees with exact greedy splits, shrinkage, and a seeded 80 % row
 * subsample per tree (stochastic boosting); the number of trees is chosen on validation τ, checked
 * every `checkEvery` trees, as the MLPs choose their epoch.
 *
 * Saved in nets' bundle format under its own tag: the trees are complete binary trees stored as
 * three tensors (split feature, threshold, value per node), so a save is a few hundred KB.
 */
import { readBundleManifest, readBundleTensors, writeBundle, type BundleKind } from '@metanet/nets';
import { createRng } from '@metanet/tensor';
import { EmptySplitError, InvalidPredictionInputError } from '../predict/errors';
import { selectionTau } from '../predict/score';
import { targetOf, yieldToEventLoop, type FitOptions, type PredictionMethod, type Predictor, type ZooEntry } from '../predict/types';
import { STAT_NAMES, statFeatures } from './stat-features';
import type { FeatureMatrix } from './mlp-regressor';
import { stackRows } from './vector-method';

/** The `format` tag of a saved GBT predictor's manifest. */
export const GBT_FORMAT = 'metanet.gbt';
const GBT_BUNDLE: BundleKind = { format: GBT_FORMAT, version: 1, body: 'config', what: 'GBT predictor', saver: 'metanet predict-acc train --method gbt', maxManifestBytes: 1 << 20 };

/** GBT defaults (`epochs` in FitOptions overrides the number of trees, `lr` the shrinkage). */
export const GBT_DEFAULTS = { trees: 400, depth: 3, lr: 0.05, minLeaf: 3, subsample: 0.8, checkEvery: 10 };

/** A fitted ensemble: `nodes` = 2^(depth+1) − 1 slots per tree; feature −1 marks a leaf. */
interface Ensemble {
  readonly cols: number;
  readonly depth: number;
  readonly base: number;
  readonly feature: Float32Array;
  readonly threshold: Float32Array;
  readonly value: Float32Array;
  trees: number;
}

const nodesOf = (depth: number): number => 2 ** (depth + 1) - 1;

/** Tree t's leaf value for one row. */
function treeValue(m: Ensemble, x: Float32Array, row: number, t: number): number {
  const at = t * nodesOf(m.depth);
  let k = 0;
  while (m.feature[at + k]! >= 0) k = x[row * m.cols + m.feature[at + k]!]! <= m.threshold[at + k]! ? 2 * k + 1 : 2 * k + 2;
  return m.value[at + k]!;
}

function predictRow(m: Ensemble, x: Float32Array, row: number): number {
  let y = m.base;
  for (let t = 0; t < m.trees; t++) y += treeValue(m, x, row, t);
  return y;
}

function predictAll(m: Ensemble, x: FeatureMatrix): Float32Array {
  return Float32Array.from({ length: x.rows }, (_, r) => Math.min(1, Math.max(0, predictRow(m, x.data, r))));
}

/** Grows node k of tree t (and below) on `rows`, fitting `residual` by squared error. */
function grow(m: Ensemble, x: FeatureMatrix, residual: Float64Array, rows: number[], t: number, k: number, level: number, lr: number): void {
  const at = t * nodesOf(m.depth) + k;
  const mean = rows.reduce((a, r) => a + residual[r]!, 0) / rows.length;
  m.feature[at] = -1;
  m.value[at] = lr * mean;
  if (level === m.depth || rows.length < 2 * GBT_DEFAULTS.minLeaf) return;
  let best = { gain: 1e-12, col: -1, threshold: 0, cut: 0 };
  let sorted: number[] = [];
  const total = rows.reduce((a, r) => a + residual[r]!, 0);
  for (let c = 0; c < x.cols; c++) {
    const order = [...rows].sort((a, b) => x.data[a * x.cols + c]! - x.data[b * x.cols + c]!);
    let left = 0;
    for (let i = 0; i < order.length - 1; i++) {
      left += residual[order[i]!]!;
      const [lo, hi] = [x.data[order[i]! * x.cols + c]!, x.data[order[i + 1]! * x.cols + c]!];
      const n = i + 1;
      if (lo === hi || n < GBT_DEFAULTS.minLeaf || order.length - n < GBT_DEFAULTS.minLeaf) continue;
      // Reduction of squared error from the split: S_L²/n_L + S_R²/n_R − S²/n.
      const gain = (left * left) / n + ((total - left) ** 2) / (order.length - n) - (total * total) / order.length;
      if (gain > best.gain) {
        best = { gain, col: c, threshold: lo, cut: n };
        sorted = order;
      }
    }
  }
  if (best.col < 0) return;
  m.feature[at] = best.col;
  m.threshold[at] = best.threshold;
  grow(m, x, residual, sorted.slice(0, best.cut), t, 2 * k + 1, level + 1, lr);
  grow(m, x, residual, sorted.slice(best.cut), t, 2 * k + 2, level + 1, lr);
}

function gbtPredictor(m: Ensemble): Predictor {
  const features = (entries: readonly ZooEntry[]): FeatureMatrix => stackRows(entries.map((e) => statFeatures(e.net)), m.cols);
  const used = (a: Float32Array): Float32Array => a.slice(0, m.trees * nodesOf(m.depth));
  return {
    method: 'gbt',
    predict: (entries) => predictAll(m, features(entries)),
    save(dir) {
      const shape = [m.trees, nodesOf(m.depth)];
      const tensors = [
        { name: 'feature', shape, data: used(m.feature) },
        { name: 'threshold', shape, data: used(m.threshold) },
        { name: 'value', shape, data: used(m.value) },
      ];
      writeBundle(dir, { cols: m.cols, depth: m.depth, base: m.base, trees: m.trees }, tensors, { predictor: { method: 'gbt' } }, GBT_BUNDLE);
    },
    dispose: () => undefined,
  };
}

/** Reads a GBT predictor saved by its `save`. */
export function restoreGbt(dir: string): Predictor {
  const manifest = readBundleManifest(dir, GBT_BUNDLE);
  const c = (manifest as unknown as { config: { cols?: unknown; depth?: unknown; base?: unknown; trees?: unknown } }).config;
  if (![c.cols, c.depth, c.base, c.trees].every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new InvalidPredictionInputError(`${dir} is not a saved GBT predictor (its config lacks cols, depth, base or trees); train one with metanet predict-acc train --method gbt`);
  }
  const t = readBundleTensors(dir, manifest);
  const get = (name: string): Float32Array => {
    const v = t.get(name)?.data;
    if (!v || v.length !== (c.trees as number) * nodesOf(c.depth as number)) throw new InvalidPredictionInputError(`${dir}: tensor ${name} is missing or the wrong size; save the predictor again`);
    return v;
  };
  return gbtPredictor({ cols: c.cols as number, depth: c.depth as number, base: c.base as number, trees: c.trees as number, feature: get('feature'), threshold: get('threshold'), value: get('value') });
}

async function fitGbt(train: readonly ZooEntry[], val: readonly ZooEntry[], options: FitOptions = {}) {
  if (train.length === 0 || val.length === 0) throw new EmptySplitError(`training needs nets in train and val (got ${train.length} and ${val.length}); use a larger zoo`);
  const started = performance.now();
  const d = GBT_DEFAULTS;
  const trees = options.epochs ?? d.trees;
  const lr = options.lr ?? d.lr;
  const cols = Math.max(...train.map((e) => e.net.params.length)) * STAT_NAMES.length;
  const x = stackRows(train.map((e) => statFeatures(e.net)), cols);
  const vx = stackRows(val.map((e) => statFeatures(e.net)), cols);
  const y = Float64Array.from(train, targetOf);
  const valY = Float32Array.from(val, targetOf);
  const base = y.reduce((a, v) => a + v, 0) / y.length;
  const size = trees * nodesOf(d.depth);
  const m: Ensemble = { cols, depth: d.depth, base, feature: new Float32Array(size).fill(-1), threshold: new Float32Array(size), value: new Float32Array(size), trees: 0 };
  const fitted = new Float64Array(y.length).fill(base);
  const rng = createRng((options.seed ?? 0) ^ 0x6b7);
  const all = Array.from({ length: y.length }, (_, i) => i);
  let best = { tau: -Infinity, trees: 0 };
  for (let t = 0; t < trees; t++) {
    const residual = Float64Array.from(y, (v, i) => v - fitted[i]!);
    rng.shuffle(all);
    grow(m, x, residual, all.slice(0, Math.max(2 * d.minLeaf, Math.round(d.subsample * all.length))), t, 0, 0, lr);
    m.trees = t + 1;
    for (let r = 0; r < y.length; r++) fitted[r] = fitted[r]! + treeValue(m, x.data, r, t);
    if (m.trees % d.checkEvery === 0 || m.trees === trees) {
      const valTau = selectionTau(valY, predictAll(m, vx));
      if (valTau > best.tau) best = { tau: valTau, trees: m.trees };
      options.onEpoch?.({ epoch: m.trees, epochs: trees, trainLoss: residual.reduce((a, v) => a + v * v, 0) / y.length, valTau });
      await yieldToEventLoop();
    }
  }
  m.trees = best.trees;
  return { predictor: gbtPredictor(m), report: { bestEpoch: best.trees, bestValTau: best.tau, epochsRun: trees, trainMs: performance.now() - started } };
}

/** GBT on weight statistics as a prediction method. */
export const gbt: PredictionMethod = {
  name: 'gbt',
  description: 'gradient-boosted trees (depth 3, shrinkage 0.05, up to 400 trees chosen on val τ) on StatNN\'s weight statistics',
  fit: fitGbt,
};
