/**
 * The GMN accuracy predictor (Lim et al. 2024; the task of Unterthiner et al. 2020): each net's
 * parameter graph, its values standardised per tensor (`gmn-inputs.ts`), through a GMN whose
 * graph-level head gives an invariant embedding, read out to one logit, a sigmoid, BCE against the
 * test accuracy, Adam, and early stopping on validation Kendall τ: the epoch with the best τ is
 * kept, and training stops after `patience` epochs without a better one.
 *
 * Two readouts, and by default (`auto`) both are fitted and the one with the better val τ is kept.
 * `statnn` (`gmn-statnn-readout.ts`) fits StatNN first and then lets the embedding join StatNN's first
 * layer from zero weights. `stats-mlp` (`gmn-readout.ts`) trains the GMN from scratch with the
 * z-scored statistics through an MLP 64 (up to 30 epochs, patience 8, in `auto`). Neither wins on
 * every zoo: on the diverse zoo (results/diverse-381-runs) `stats-mlp` ranks at τ 0.437 ± 0.029 and
 * the hybrid at 0.366 ± 0.016, and on the Small CNN Zoo the order is the reverse. On the 221-run zoo it
 * ranked at τ 0.608 ± 0.045 against StatNN's 0.768 ± 0.015, below its own statistics-only readout
 * (0.671), so the GMN was added to a weaker base than the baseline. On the 343-run zoo
 * (results/small-cnn-343-runs/README.md) the hybrid is at StatNN's level, 0.785 ± 0.018 against
 * 0.788 ± 0.006, and so is its control without the GMN: the GMN does not add to StatNN yet.
 *
 * Batch 8, as StatNN's: patience counts epochs, and at batch 32 a 51-net training set gave 2 Adam
 * steps per epoch and froze seeds at constant predictions. A small-cnn graph has 4,970 edges, so a
 * batch of 8 is far inside the wasm heap; the diverse zoo's nets reach some 200,000 edges, so batches
 * are also bounded in edges (`edgeBatches`, against `maxTrainableEdges` with what is on the heap at the
 * time: the val graphs are uploaded first and stay): a training batch beyond the budget is split, its
 * gradients summed with weights so the step is the batch's (a batch within the budget takes exactly the
 * unsplit path; with dropout each part draws its own masks).
 */
import { DEFAULT_FEATURES, GMN, maxTrainableEdges, readGMN, saveGMN, type GMNConfig, type GraphTensors, type SavedGMN } from '@metanet/mpnn';
import { createRng, tf } from '@metanet/tensor';
import { bceWithLogits } from '../baselines/mlp-regressor';
import { EmptySplitError, InvalidPredictionInputError } from './errors';
import { fitInputScaling, NO_SCALING, scaledGraphOf, scaledStats, type GmnInputScaling } from './gmn-inputs';
import { DEFAULT_PROBE_SEED, PROBE_COLUMNS } from './probe-features';
import { StatReadout, type SavedReadout } from './gmn-readout';
import { StatnnReadout, warmStatnn, type SavedStatnnReadout } from './gmn-statnn-readout';
import { selectionTau } from './score';
import { targetOf, yieldToEventLoop, type FitOptions, type FitReport, type PredictionMethod, type Predictor, type ZooEntry } from './types';

/** GMN predictor defaults; every GMNConfig field can be overridden through `config`. */
export const GMN_PREDICTOR_DEFAULTS = {
  config: { hidden: 32, globalHidden: 32, layers: 3, aggregation: 'mean' } satisfies Partial<GMNConfig>,
  embed: 16,
  readout: 'auto' as GmnReadoutKind,
  /** The `stats-mlp` readout's budget, alone and as `auto`'s candidate (the diverse zoo's measured setting); `epochs`/`patience` override it. */
  scratchEpochs: 30,
  scratchPatience: 8,
  statnnEpochs: 50,
  hybridEpochs: 10,
  freezeStatnn: false,
  keepStatnn: false,
  readoutHidden: 64,
  normalize: true,
  stats: true,
  weightDecay: 0,
  /** Probe inputs whose responses become node features (`probe-features.ts`); 0 = none. */
  probes: 0,
  batchSize: 8,
  lr: 1e-3,
  /** The hybrid's GMN phase: epochs without a better val τ before it stops. */
  patience: 5,
  evalBatchSize: 64,
};

/**
 * Where the GMN's embedding goes: `statnn`, the hybrid (StatNN trained first, then the GMN joins its
 * first layer through weights that start at zero; `gmn-statnn-readout.ts`), `stats-mlp`, the GMN
 * trained from scratch (embedding and z-scored statistics → MLP `readoutHidden`, trained together),
 * or `auto`: both, keeping the one with the better val τ (`FitReport.choice` says which).
 */
export const GMN_READOUTS = ['auto', 'statnn', 'stats-mlp'] as const;
export type GmnReadoutKind = (typeof GMN_READOUTS)[number];

export interface GmnFitOptions extends FitOptions {
  /** The readout; default `auto`. */
  readonly readout?: GmnReadoutKind;
  /** Epochs of the hybrid's first phase (StatNN alone, its own recipe). Default 50, StatNN's. */
  readonly statnnEpochs?: number;
  /** Hybrid: keep StatNN's MLP fixed in the GMN phase (only the GMN and its input weights learn). Default false. */
  readonly freezeStatnn?: boolean;
  /** Hybrid: the trained StatNN competes in the val-τ selection (else the best GMN-phase epoch is kept). Default false. */
  readonly keepStatnn?: boolean;
  /** Overrides of the GMN architecture. */
  readonly config?: Partial<GMNConfig>;
  /** Epochs without a better val τ before stopping. Default 5. */
  readonly patience?: number;
  /** Width of the GMN's graph-level embedding fed to the readout. Default 16; 0 in the hybrid runs its GMN phase without the GMN (a control). */
  readonly embed?: number;
  /** Hidden width of the readout MLP. Default 64. */
  readonly readoutHidden?: number;
  /** Standardise parameter values per tensor with the training nets' mean and std. Default true. */
  readonly normalize?: boolean;
  /** Feed the nets' z-scored weight statistics to the readout. Default true. */
  readonly stats?: boolean;
  /** L2 penalty on every trained weight, added to the loss. Default 0. */
  readonly weightDecay?: number;
  /** Noise probe inputs whose per-neuron responses join the GMN's node features (`probe-features.ts`); 0 = none. */
  readonly probes?: number;
  /** Given probe inputs instead of noise (`probes` rows of the nets' input size, row-major), e.g. unlabeled images. */
  readonly probeInputs?: Float32Array;
  /**
   * Most edges uploaded at once (a training batch beyond it is split and its gradients summed; scoring is
   * cut into groups within it). Default: `maxTrainableEdges` of the predictor's GMN on this heap.
   */
  readonly maxEdgesPerBatch?: number;
}

/** A GMN, its readout and the input scaling they were trained with. */
interface GmnParts {
  readonly model: GMN;
  readonly readout: StatReadout | StatnnReadout;
  readonly scaling: GmnInputScaling;
  /** `GmnFitOptions.maxEdgesPerBatch`, when given (a restored predictor scores within its heap's budget). */
  readonly maxEdges?: number;
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

/** Parameters of an entry's net: its graph's edges, one per parameter (a graph may add a few edges that carry no parameter). */
export function entryEdges(entry: ZooEntry): number {
  return entry.net.params.reduce((n, p) => n + p.length, 0);
}

/**
 * `entries` in order, cut into consecutive groups of at most `maxGraphs` graphs and `maxEdges` edges
 * (a graph beyond `maxEdges` on its own is a group of one).
 */
export function edgeBatches<T extends ZooEntry>(entries: readonly T[], maxGraphs: number, maxEdges: number): T[][] {
  const out: T[][] = [];
  let group: T[] = [];
  let edges = 0;
  for (const e of entries) {
    const n = entryEdges(e);
    if (group.length > 0 && (group.length >= maxGraphs || edges + n > maxEdges)) {
      out.push(group);
      group = [];
      edges = 0;
    }
    group.push(e);
    edges += n;
  }
  if (group.length > 0) out.push(group);
  return out;
}

/** Edges the predictor's GMN may take in one upload: a training step's budget on this heap (scoring needs less). */
function edgeBudget(p: GmnParts): number {
  return p.maxEdges ?? maxTrainableEdges(p.model) ?? Number.POSITIVE_INFINITY;
}

function logits(p: GmnParts, b: Batch, options: { training: boolean; seed?: number }): tf.Tensor2D {
  // embed 0: the hybrid without its GMN, the control for what the GMN phase adds over more StatNN epochs.
  if (p.readout instanceof StatnnReadout && p.readout.embed === 0) return p.readout.apply(null, b.stats!);
  const embedding = p.model.apply(b.graphs, options).graph!;
  return p.readout instanceof StatnnReadout ? p.readout.apply(embedding, b.stats!) : p.readout.apply(embedding, b.stats);
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
  let at = 0;
  for (const group of edgeBatches(entries, batchSize, edgeBudget(p))) {
    const b = uploadBatch(p, group);
    try {
      out.set(predictBatches(p, [b]), at);
    } finally {
      disposeBatch(b);
    }
    at += group.length;
  }
  return out;
}

function gmnPredictor(p: GmnParts): Predictor {
  return {
    method: 'gmn',
    predict: (entries) => predictEntries(p, entries),
    save: (dir) => {
      // The hybrid's readout bundle goes first, so the GMN manifest that names it is written last.
      const readout = p.readout instanceof StatnnReadout ? p.readout.save(dir) : p.readout.save();
      saveGMN(dir, p.model, { predictor: { method: 'gmn', scaling: p.scaling, readout } });
    },
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
  const readout = options.readout ?? d.readout;
  return {
    epochs: options.epochs ?? (readout === 'statnn' ? d.hybridEpochs : d.scratchEpochs),
    batchSize: options.batchSize ?? d.batchSize,
    patience: options.patience ?? (readout === 'statnn' ? d.patience : d.scratchPatience),
    seed: options.seed ?? 0,
    embed: options.embed ?? d.embed,
    readout,
    statnnEpochs: options.statnnEpochs ?? d.statnnEpochs,
    freezeStatnn: options.freezeStatnn ?? d.freezeStatnn,
    keepStatnn: options.keepStatnn ?? d.keepStatnn,
    readoutHidden: options.readoutHidden ?? d.readoutHidden,
    normalize: options.normalize ?? d.normalize,
    stats: options.stats ?? d.stats,
    weightDecay: options.weightDecay ?? d.weightDecay,
    probes: options.probes ?? d.probes,
    lr: options.lr ?? d.lr,
  };
}

/** The parts and, for the hybrid, its StatNN phase: the incumbent the GMN phase must beat on val τ. */
async function buildParts(
  train: readonly ZooEntry[],
  val: readonly ZooEntry[],
  o: ReturnType<typeof resolve>,
  options: GmnFitOptions,
): Promise<{ parts: GmnParts; warm: FitReport | null }> {
  const fitted = fitInputScaling(train);
  const hybrid = o.readout === 'statnn';
  // The hybrid's StatNN branch reads raw statistics, as StatNN does (identity scaling).
  const statShift = hybrid ? fitted.statShift.map(() => 0) : o.stats ? fitted.statShift : NO_SCALING.statShift;
  const statScale = hybrid ? fitted.statScale.map(() => 1) : o.stats ? fitted.statScale : NO_SCALING.statScale;
  if (!Number.isInteger(o.probes) || o.probes < 0) throw new InvalidPredictionInputError(`probes=${o.probes}; use a whole number of probe inputs (0 = none)`);
  if (options.probeInputs !== undefined && o.probes === 0) throw new InvalidPredictionInputError('probeInputs without probes; set probes to the number of input rows it holds');
  const scaling: GmnInputScaling = {
    paramShift: o.normalize ? fitted.paramShift : [],
    paramScale: o.normalize ? fitted.paramScale : [],
    statShift,
    statScale,
    ...(o.probes > 0 && { probes: { count: o.probes, seed: DEFAULT_PROBE_SEED, ...(options.probeInputs && { inputs: Array.from(options.probeInputs) }) } }),
  };
  const features = { ...DEFAULT_FEATURES, ...options.config?.features, ...(o.probes > 0 && { nodeExtra: PROBE_COLUMNS }) };
  const maxEdges = options.maxEdgesPerBatch;
  if (maxEdges !== undefined && !(Number.isInteger(maxEdges) && maxEdges >= 1)) {
    throw new InvalidPredictionInputError(`maxEdgesPerBatch=${maxEdges}; use a whole number of edges ≥ 1 (or leave it out for the heap's budget)`);
  }
  const model = new GMN({ ...GMN_PREDICTOR_DEFAULTS.config, ...options.config, features, graphOutputs: Math.max(o.embed, 1), edgeOutputs: 0, seed: o.seed });
  const budget = maxEdges !== undefined ? { maxEdges } : {};
  if (!hybrid) return { parts: { model, readout: new StatReadout(o.embed + statShift.length, o.readoutHidden, o.seed ^ 0x2ead), scaling, ...budget }, warm: null };
  try {
    const { readout, report } = await warmStatnn(train, val, { cols: statShift.length, embed: o.embed, epochs: o.statnnEpochs, seed: o.seed, ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}) });
    return { parts: { model, readout, scaling, ...budget }, warm: report };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/**
 * One Adam step on `picked` (BCE, plus the weight decay term). Within `maxEdges` (one part) it
 * is `minimize` on the whole batch; beyond it, each part's gradient of its BCE, weighted by its share
 * of the batch, is summed (the weight decay term joins the first part), so the step is the batch's
 * (up to dropout: each part draws its own masks).
 * Returns the batch's loss.
 */
function trainStep(
  parts: GmnParts,
  opt: tf.Optimizer,
  trained: tf.Variable[],
  vars: readonly tf.Variable[],
  picked: readonly ZooEntry[],
  o: { seed: number; weightDecay: number; maxEdges: number },
): number {
  const groups = edgeBatches(picked, picked.length, o.maxEdges);
  const decay = (): tf.Scalar | null => (o.weightDecay === 0 ? null : (tf.mul(o.weightDecay, tf.addN(vars.map((v) => tf.sum(tf.square(v))))) as tf.Scalar));
  // Part k draws its dropout masks from its own seed (part 0 from the step's, as the unsplit batch does).
  const partLoss = (group: readonly ZooEntry[], batch: Batch, k: number): tf.Scalar => {
    const y = tf.tensor2d(group.map(targetOf), [group.length, 1]);
    const bce = bceWithLogits(logits(parts, batch, { training: true, seed: o.seed + k * 1_000_003 }), y);
    const weighted = groups.length === 1 ? bce : (tf.mul(bce, group.length / picked.length) as tf.Scalar);
    const d = k === 0 ? decay() : null;
    return d === null ? weighted : (tf.add(weighted, d) as tf.Scalar);
  };
  if (groups.length === 1) {
    const batch = uploadBatch(parts, picked);
    try {
      const loss = opt.minimize(() => partLoss(picked, batch, 0), true, trained)!;
      const value = loss.dataSync()[0]!;
      loss.dispose();
      return value;
    } finally {
      disposeBatch(batch);
    }
  }
  let total = 0;
  const sum = new Map<string, tf.Tensor>();
  try {
    groups.forEach((group, k) => {
      const batch = uploadBatch(parts, group);
      try {
        const { value, grads } = tf.variableGrads(() => partLoss(group, batch, k), trained);
        total += value.dataSync()[0]!;
        value.dispose();
        // Over the union of names: a variable without a gradient in one part still gets the others'.
        for (const [name, g] of Object.entries(grads)) {
          const prev = sum.get(name);
          sum.set(name, prev === undefined ? g : tf.add(prev, g));
          if (prev !== undefined) tf.dispose([prev, g]);
        }
      } finally {
        disposeBatch(batch);
      }
    });
    opt.applyGradients(Object.fromEntries(sum));
  } finally {
    tf.dispose([...sum.values()]);
  }
  return total;
}

/** Trains a GMN predictor; see the module comment for the protocol. */
export async function fitGmn(
  train: readonly ZooEntry[],
  val: readonly ZooEntry[],
  options: GmnFitOptions = {},
): Promise<{ predictor: Predictor; report: FitReport }> {
  if (train.length === 0 || val.length === 0) throw new EmptySplitError(`training needs nets in train and val (got ${train.length} and ${val.length}); use a larger zoo`);
  if ((options.readout ?? GMN_PREDICTOR_DEFAULTS.readout) === 'auto') return fitAuto(train, val, options);
  const o = resolve(options);
  const started = performance.now();
  const { parts, warm } = await buildParts(train, val, o, options);
  const offset = warm?.epochsRun ?? 0;
  const vars = variablesOf(parts);
  const frozen = new Set<tf.Variable>(o.freezeStatnn && parts.readout instanceof StatnnReadout ? parts.readout.params : []);
  if (o.embed === 0) parts.model.trainableVariables.forEach((v) => frozen.add(v));
  const trained = vars.filter((v) => !frozen.has(v));
  const opt = tf.train.adam(o.lr);
  const rng = createRng(o.seed ^ 0x6a1);
  const order = Array.from({ length: train.length }, (_, i) => i);
  const valY = Float32Array.from(val, targetOf);
  // The val graphs are scored every epoch: uploaded once (encoding them costs about as much as a forward pass).
  const valBatches: Batch[] = [];
  // The hybrid's epoch 0 is its trained StatNN: the GMN phase replaces it only on a better val τ.
  let best = { tau: warm && o.keepStatnn ? warm.bestValTau : -Infinity, epoch: 0, weights: snapshot(vars) };
  let epoch = 0;
  let step = 0;
  try {
    for (const group of edgeBatches(val, GMN_PREDICTOR_DEFAULTS.evalBatchSize, edgeBudget(parts))) valBatches.push(uploadBatch(parts, group));
    // Training's budget is taken with the val graphs on the heap, where they stay for the whole fit.
    const budget = edgeBudget(parts);
    while (epoch < o.epochs && epoch - best.epoch < o.patience) {
      epoch++;
      rng.shuffle(order);
      let lossSum = 0;
      for (let s = 0; s < order.length; s += o.batchSize) {
        const picked = order.slice(s, s + o.batchSize).map((i) => train[i]!);
        const value = trainStep(parts, opt, trained, vars, picked, { seed: o.seed + step, weightDecay: o.weightDecay, maxEdges: budget });
        if (!Number.isFinite(value)) throw new InvalidPredictionInputError(`loss is ${value} at step ${step}; lower the learning rate (--lr) or check the zoo's weights`);
        lossSum += picked.length * value;
        step++;
      }
      const valTau = selectionTau(valY, predictBatches(parts, valBatches));
      if (valTau > best.tau) best = { tau: valTau, epoch, weights: snapshot(vars) };
      options.onEpoch?.({ epoch: offset + epoch, epochs: offset + o.epochs, trainLoss: lossSum / train.length, valTau });
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
  const kept = best.epoch === 0 && warm ? warm : { bestEpoch: offset + best.epoch, bestValTau: best.tau };
  return { predictor: gmnPredictor(parts), report: { bestEpoch: kept.bestEpoch, bestValTau: kept.bestValTau, epochsRun: offset + epoch, trainMs: performance.now() - started } };
}

/**
 * The `auto` readout: the hybrid, then the GMN from scratch (`stats-mlp`), on the same split and seed;
 * the one with the better val τ is kept (the hybrid on a tie) and the other freed. Options that only
 * the hybrid reads (`embed: 0`, its no-GMN control; `keepStatnn`; `freezeStatnn`) fit the hybrid alone.
 * Progress counts both fits' epochs against one total (early stopping jumps ahead).
 */
async function fitAuto(train: readonly ZooEntry[], val: readonly ZooEntry[], options: GmnFitOptions): Promise<{ predictor: Predictor; report: FitReport }> {
  const started = performance.now();
  const d = GMN_PREDICTOR_DEFAULTS;
  const hybridOnly = options.embed === 0 || options.keepStatnn === true || options.freezeStatnn === true;
  const hybridEpochs = (options.statnnEpochs ?? d.statnnEpochs) + (options.epochs ?? d.hybridEpochs);
  const total = hybridEpochs + (hybridOnly ? 0 : (options.epochs ?? d.scratchEpochs));
  const progress = (offset: number): Pick<GmnFitOptions, 'onEpoch'> =>
    options.onEpoch ? { onEpoch: (p) => options.onEpoch!({ ...p, epoch: offset + p.epoch, epochs: total }) } : {};
  const hybrid = await fitGmn(train, val, { ...options, readout: 'statnn', ...progress(0) });
  if (hybridOnly) return { predictor: hybrid.predictor, report: { ...hybrid.report, trainMs: performance.now() - started, choice: 'statnn' } };
  const done = hybrid.report.epochsRun;
  let scratch: { predictor: Predictor; report: FitReport };
  try {
    scratch = await fitGmn(train, val, { ...options, readout: 'stats-mlp', ...progress(done) });
  } catch (e) {
    hybrid.predictor.dispose();
    throw e;
  }
  const scratchWins = scratch.report.bestValTau > hybrid.report.bestValTau;
  (scratchWins ? hybrid : scratch).predictor.dispose();
  const kept = scratchWins ? scratch : hybrid;
  return {
    predictor: kept.predictor,
    report: {
      // Epochs are counted across both fits, as the progress reports them.
      bestEpoch: scratchWins ? done + scratch.report.bestEpoch : hybrid.report.bestEpoch,
      bestValTau: kept.report.bestValTau,
      epochsRun: done + scratch.report.epochsRun,
      trainMs: performance.now() - started,
      choice: scratchWins ? 'stats-mlp' : 'statnn',
    },
  };
}

/** Rebuilds a GMN predictor from a saved GMN bundle. */
export function restoreGmn(dir: string): Predictor {
  const saved: SavedGMN = readGMN(dir);
  const p = saved.meta.predictor as { method?: unknown; scaling?: GmnInputScaling; readout?: SavedReadout | SavedStatnnReadout } | undefined;
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
  const readout = 'kind' in p.readout && p.readout.kind === 'statnn' ? StatnnReadout.restore(dir, p.readout) : StatReadout.restore(p.readout as SavedReadout);
  return gmnPredictor({ model, readout, scaling: p.scaling });
}

/** The GMN accuracy predictor as a prediction method. */
export const gmn: PredictionMethod = {
  name: 'gmn',
  description: 'GMN on the per-tensor standardised parameter graph; its graph embedding and the weight statistics → MLP → sigmoid (BCE, early stopping on val τ)',
  fit: (train, val, options) => fitGmn(train, val, options),
};
