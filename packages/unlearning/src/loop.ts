/**
 * The optimisation loop every training-based method shares: sample batches
 * from one or more named datasets, run the functional forward of the net,
 * differentiate a method-specific loss with respect to the params, and apply
 * SGD or Adam. The input model is cloned first, so it is never touched; every
 * intermediate tensor is disposed, so a run leaks nothing.
 *
 * Determinism: batch order comes from `createRng(seed)` (host side), dropout
 * masks from the step's seed, and the cpu/wasm kernels used are deterministic,
 * so the same seed on the same backend gives bit-identical weights.
 */
import { createRng, shuffleInPlace, tf, type Rng } from '@metanet/tensor';
import { forwardWithBuffers, type ForwardResult } from '@metanet/nets';
import type { NetSpec } from '@metanet/spec';
import { datasetSize, labelsOf, type Dataset } from '@metanet/data';
import { EmptyForgetSetError, InvalidHyperparameterError, NonFiniteLossError } from './errors';
import { createOptimizerState, disposeOptimizerState, optimizerStep, type OptimizerConfig, type OptimizerKind } from '@metanet/nets';
import type { TrainedNet } from './types';

/** A dataset to draw batches from. */
export interface BatchSource {
  data: Dataset;
  batchSize: number;
  /** Labels to train on instead of the dataset's (e.g. random labels for RL), one per sample. */
  labels?: Int32Array;
}

/** Where a source's samples sit in the concatenated batch. */
export interface BatchPart {
  /** First row of this source in `Batch.x`. */
  start: number;
  size: number;
  /** Sample indices into the source's dataset. */
  indices: Int32Array;
}

/** One step's batch: the sources' samples concatenated in the key order of `sources`. */
export interface Batch {
  x: tf.Tensor4D;
  /** int32 labels (the source's `labels` override when given). */
  y: tf.Tensor1D;
  parts: Record<string, BatchPart>;
}

/** Extra context for a loss: the params being differentiated and the step. */
export interface LossContext {
  /** 1-based step number. */
  step: number;
  spec: NetSpec;
  /** The current params (the tensors being differentiated); use them for extra forwards. */
  params: readonly tf.Tensor[];
  /** The current BN running statistics. */
  buffers: readonly tf.Tensor[];
  /** The step's RNG (host side), for deterministic per-step randomness. */
  rng: Rng;
}

/** Maps the forward result of the whole batch to a scalar loss; runs inside the gradient tape. */
export type LossFn = (out: ForwardResult, batch: Batch, ctx: LossContext) => tf.Scalar;

/** Options of `optimize`, the training loop the methods share: steps, optimizer, batches, loss and callbacks. */
export interface OptimizeOptions {
  model: TrainedNet;
  /** Named datasets; each step draws `batchSize` samples from each (cycling with a fresh shuffle per pass). */
  sources: Record<string, BatchSource>;
  /** Number of optimiser steps. Give `steps` or `epochs`. */
  steps?: number;
  /** Passes over `epochSource`; steps = epochs × ceil(N / batchSize). */
  epochs?: number;
  /** The source `epochs` counts passes over. Default: the first key of `sources`. */
  epochSource?: string;
  loss: LossFn;
  lr: number;
  /** Default 'sgd'. */
  optimizer?: OptimizerKind;
  /** SGD momentum. Default 0. */
  momentum?: number;
  /** Decoupled from nothing: added to the gradient as PyTorch does. Default 0. */
  weightDecay?: number;
  /** 'cosine' anneals lr to 0 over the run. Default 'constant'. */
  schedule?: 'constant' | 'cosine';
  /** Rescales the gradient when its global ℓ2 norm exceeds this. Default: no clipping. */
  clipNorm?: number;
  /** Per-param gradient masks (same shapes as params, 0/1), e.g. SalUn's saliency mask. Masked weights never move. */
  mask?: readonly tf.Tensor[];
  /**
   * 'train': BN uses batch statistics and dropout is on; 'eval': running
   * statistics, no dropout. Default 'train'.
   */
  mode?: 'train' | 'eval';
  /** Keep the BN running statistics updated by train-mode forwards. Default: mode === 'train'. */
  updateBuffers?: boolean;
  seed: number;
  /** Names the run in errors, e.g. 'ga'. Default 'optimize'. */
  label?: string;
  /** Called after each step: steps done of the total. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Called after each step with the current model (owned by the loop; do not
   * dispose or keep it). Return true to stop early, e.g. when a target
   * accuracy is reached (relearn time).
   */
  onStep?: (step: number, model: TrainedNet) => boolean | void;
}

/** What `optimize` returns: the edited model and the steps taken. */
export interface OptimizeResult {
  /** Fresh tensors owned by the caller. */
  model: TrainedNet;
  /** Steps actually taken (fewer than planned when `onStep` stopped the run). */
  steps: number;
  /** The loss of each step, for diagnostics and tests. */
  losses: number[];
}

interface Cursor {
  rng: Rng;
  order: Int32Array;
  pos: number;
}

function reshuffle(c: Cursor): void {
  shuffleInPlace(c.order, c.rng);
  c.pos = 0;
}

/** The next `size` indices of a shuffled pass; a pass's last batch may be short. */
function take(c: Cursor, size: number): Int32Array {
  if (c.pos >= c.order.length) reshuffle(c);
  const out = c.order.slice(c.pos, Math.min(c.pos + size, c.order.length));
  c.pos += out.length;
  return out;
}

function planSteps(opts: OptimizeOptions, names: string[]): number {
  if (opts.steps !== undefined) {
    if (!Number.isInteger(opts.steps) || opts.steps < 0) throw new InvalidHyperparameterError(`steps must be a non-negative integer, got ${opts.steps}; pass e.g. steps: 100`);
    return opts.steps;
  }
  if (opts.epochs === undefined) throw new InvalidHyperparameterError('optimize needs steps or epochs; pass one of them');
  if (!(opts.epochs >= 0)) throw new InvalidHyperparameterError(`epochs must be >= 0, got ${opts.epochs}; pass e.g. epochs: 5`);
  const name = opts.epochSource ?? names[0];
  const src = name === undefined ? undefined : opts.sources[name];
  if (!src) throw new InvalidHyperparameterError(`epochSource '${name}' is not one of the sources [${names.join(', ')}]; name a source`);
  return Math.round(opts.epochs * Math.ceil(datasetSize(src.data) / src.batchSize));
}

function validate(opts: OptimizeOptions, names: string[]): void {
  if (names.length === 0) throw new InvalidHyperparameterError('optimize needs at least one batch source; pass sources: { retain: { data, batchSize } }');
  if (!(opts.lr >= 0) || !Number.isFinite(opts.lr)) throw new InvalidHyperparameterError(`lr must be a finite number >= 0, got ${opts.lr}`);
  for (const name of names) {
    const s = opts.sources[name] as BatchSource;
    if (!Number.isInteger(s.batchSize) || s.batchSize < 1) throw new InvalidHyperparameterError(`batchSize of source '${name}' must be a positive integer, got ${s.batchSize}`);
    const n = datasetSize(s.data);
    if (n === 0) throw new EmptyForgetSetError(`source '${name}' (${s.data.name}) holds no samples; check the request's split`);
    if (s.labels && s.labels.length !== n) throw new InvalidHyperparameterError(`labels of source '${name}' have length ${s.labels.length}, expected ${n}; pass one label per sample`);
  }
  if (opts.mask && opts.mask.length !== opts.model.params.length) {
    throw new InvalidHyperparameterError(`mask has ${opts.mask.length} tensors, the model ${opts.model.params.length} params; pass one mask per param`);
  }
}

function gatherBatch(opts: OptimizeOptions, names: string[], cursors: Map<string, Cursor>): Batch {
  const parts: Record<string, BatchPart> = {};
  const xs: tf.Tensor4D[] = [];
  const ys: number[] = [];
  let start = 0;
  for (const name of names) {
    const s = opts.sources[name] as BatchSource;
    const indices = take(cursors.get(name) as Cursor, s.batchSize);
    const labels = s.labels ?? labelsOf(s.data);
    for (const i of indices) ys.push(labels[i] as number);
    xs.push(tf.tidy(() => tf.gather(s.data.images, tf.tensor1d(indices, 'int32'))));
    parts[name] = { start, size: indices.length, indices };
    start += indices.length;
  }
  const x = xs.length === 1 ? (xs[0] as tf.Tensor4D) : tf.concat(xs, 0);
  if (xs.length > 1) tf.dispose(xs);
  return { x, y: tf.tensor1d(ys, 'int32'), parts };
}

/**
 * Runs the loop and returns a new model. The input model is not mutated or
 * disposed. Throws `NonFiniteLossError` naming the step when the loss or the
 * gradient norm becomes NaN or ±Inf (nothing leaks in that case either).
 */
export function optimize(opts: OptimizeOptions): OptimizeResult {
  const names = Object.keys(opts.sources);
  validate(opts, names);
  const total = planSteps(opts, names);
  const label = opts.label ?? 'optimize';
  const mode = opts.mode ?? 'train';
  const updateBuffers = opts.updateBuffers ?? mode === 'train';
  const kind = opts.optimizer ?? 'sgd';
  // The same optimizer as @metanet/nets' training loop, so hyperparameters transfer between training and unlearning.
  const settings: OptimizerConfig = { kind, momentum: opts.momentum ?? 0, weightDecay: opts.weightDecay ?? 0 };
  const spec = opts.model.spec;

  const rng = createRng(opts.seed);
  const cursors = new Map<string, Cursor>();
  for (const name of names) {
    const n = datasetSize((opts.sources[name] as BatchSource).data);
    cursors.set(name, { rng: rng.fork(), order: Int32Array.from({ length: n }, (_, i) => i), pos: n });
  }
  const stepSeeds = rng.fork();

  let params = opts.model.params.map((p) => tf.clone(p));
  let buffers = opts.model.buffers.map((b) => tf.clone(b));
  let state = createOptimizerState(settings, params);
  const losses: number[] = [];
  let steps = 0;
  try {
    for (let step = 1; step <= total; step++) {
      const lr = opts.schedule === 'cosine' ? (opts.lr * (1 + Math.cos((Math.PI * (step - 1)) / total))) / 2 : opts.lr;
      const batch = gatherBatch(opts, names, cursors);
      const stepRng = stepSeeds.fork();
      const fwdSeed = stepRng.next();
      const kept: { buffers: tf.Tensor[] | null } = { buffers: null };
      const ctx: LossContext = { step, spec, params, buffers, rng: stepRng };
      const f = (...ps: tf.Tensor[]): tf.Scalar => {
        const out = forwardWithBuffers(spec, ps, batch.x, { training: mode === 'train', buffers, seed: fwdSeed });
        if (updateBuffers && mode === 'train') kept.buffers = out.buffers.map((b) => tf.keep(b));
        return opts.loss(out, batch, ctx);
      };
      let value: tf.Scalar;
      let grads: tf.Tensor[];
      try {
        const r = tf.valueAndGrads(f)(params);
        value = r.value;
        grads = params.map((p, k) => r.grads[k] ?? tf.zerosLike(p));
      } catch (err) {
        if (kept.buffers) tf.dispose(kept.buffers);
        throw err;
      } finally {
        tf.dispose([batch.x, batch.y]);
      }
      const norm = tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))));
      const [lossValue, gradNorm] = [value.dataSync()[0] as number, norm.dataSync()[0] as number];
      tf.dispose([value, norm]);
      if (!Number.isFinite(lossValue) || !Number.isFinite(gradNorm)) {
        tf.dispose(grads);
        if (kept.buffers) tf.dispose(kept.buffers);
        const what = Number.isFinite(lossValue) ? 'the gradient' : 'the loss';
        throw new NonFiniteLossError(`${label}: ${what} is not finite at step ${step}; lower the learning rate, the number of steps or the ascent weight`, { step });
      }
      losses.push(lossValue);
      if (opts.clipNorm !== undefined && gradNorm > opts.clipNorm) {
        const scale = opts.clipNorm / gradNorm;
        const clipped = grads.map((g) => tf.mul(g, scale));
        tf.dispose(grads);
        grads = clipped;
      }
      const next = optimizerStep(settings, state, params, grads, lr, opts.mask);
      tf.dispose(grads);
      tf.dispose(params);
      disposeOptimizerState(state);
      params = next.params;
      state = next.state;
      if (kept.buffers) {
        tf.dispose(buffers);
        buffers = kept.buffers;
      }
      steps = step;
      opts.onProgress?.(step, total);
      if (opts.onStep?.(step, { spec, params, buffers }) === true) break;
    }
  } catch (err) {
    tf.dispose(params);
    tf.dispose(buffers);
    disposeOptimizerState(state);
    throw err;
  }
  disposeOptimizerState(state);
  return { model: { spec, params, buffers }, steps, losses };
}
