/**
 * Unlearning methods adapted to a task request (forget head B of a multi-head
 * net). A single-head method sees one output and one label per sample, so the
 * adaptation is in the loss: descent terms sum the kept heads' cross-entropies,
 * ascent terms use head B's on its mapped labels, and the data is the whole
 * training split (every sample carries every task).
 *
 * - `retrain`: gold itself (fresh init, kept heads only; see gold.ts).
 * - `ft`: fine-tune on the kept heads. Head B's rows get no gradient: only the
 *   trunk's drift can erase B.
 * - `ga`: gradient ascent on head B, stopped once head B is at chance.
 * - `neggrad-plus`: α·CE(kept heads) − (1 − α)·CE(head B), same stop.
 * - `reinit-head`: head B's rows back to a fresh initialisation, nothing else:
 *   head B at gold's level by construction, the trunk untouched (a filter, the
 *   baseline the trunk probe exists to expose).
 * Every other registered method assumes one head and says so (MultiHeadNetError).
 */
import { tf } from '@metanet/tensor';
import { findHead, paramInfos, type HeadSlice } from '@metanet/spec';
import { crossEntropy, headOutput, headTargets, initParams, netLoss } from '@metanet/nets';
import type { Dataset } from '@metanet/data';
import { ascentStop } from '../ascent-stop';
import { resolveHyperparameters, type Hyperparameters } from '../define-method';
import { MultiHeadNetError } from '../errors';
import { optimize, type LossFn } from '../loop';
import type { TrainedNet, UnlearnResult } from '../types';
import { trainTaskNet } from './gold';

/** The methods a task request accepts, in table order. */
export const TASK_METHODS = ['retrain', 'ft', 'ga', 'neggrad-plus', 'reinit-head'] as const;
/** A method a task request accepts. */
export type TaskMethod = (typeof TASK_METHODS)[number];

/** What a task method gets: the net, the head to forget, the training split and a seed. */
export interface TaskUnlearnInput {
  model: TrainedNet;
  /** The head to forget. */
  head: string;
  /** The training split (both tasks' labels come from its labels through the heads' label maps). */
  train: Dataset;
  /** Seeds the method's shuffling and initialisation. */
  seed: number;
  /** Called as training steps finish (done of total), for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

/** Default hyperparameters per task method; `targetForgetAccuracy` −1 means head B's chance level, 1 / units. */
export const TASK_DEFAULTS: Readonly<Record<TaskMethod, Hyperparameters>> = {
  retrain: { epochs: 3, batchSize: 64, lr: 1e-3 },
  ft: { epochs: 1, batchSize: 64, lr: 0.01, momentum: 0.9 },
  ga: { epochs: 1, batchSize: 64, lr: 0.01, clipNorm: 5, patience: 3, targetForgetAccuracy: -1 },
  'neggrad-plus': { epochs: 1, batchSize: 64, lr: 0.01, momentum: 0.9, alpha: 0.9, clipNorm: 5, patience: 3, targetForgetAccuracy: -1 },
  'reinit-head': { seed: 1 },
};

/** Throws MultiHeadNetError unless `name` is a task method. */
export function checkTaskMethod(name: string): TaskMethod {
  if (!(TASK_METHODS as readonly string[]).includes(name)) {
    throw new MultiHeadNetError(`method '${name}' assumes one head and cannot forget a task; for a task request use ${TASK_METHODS.join(', ')}`);
  }
  return name as TaskMethod;
}

const ascentLoss = (head: HeadSlice, out: tf.Tensor, y: tf.Tensor, observe: (l: tf.Tensor2D, y: tf.Tensor1D) => void): tf.Scalar => {
  const logits = headOutput(head, out) as tf.Tensor2D;
  const yb = headTargets(head, y) as tf.Tensor1D;
  observe(logits, yb);
  return crossEntropy(logits, yb);
};

/** Head B's rows of the last dense layer replaced by those of a fresh initialisation. */
function reinitHead(model: TrainedNet, head: HeadSlice, seed: number): TrainedNet {
  const infos = paramInfos(model.spec);
  const lastLayer = model.spec.layers.length - 1;
  const fresh = initParams(model.spec, { seed });
  const params = tf.tidy(() =>
    model.params.map((p, k) => {
      if ((infos[k] as { layerIndex: number }).layerIndex !== lastLayer) return tf.clone(p);
      const rows = (t: tf.Tensor, a: number, n: number): tf.Tensor => tf.slice(t, t.rank === 2 ? [a, 0] : [a], t.rank === 2 ? [n, -1] : [n]);
      const total = p.shape[0] as number;
      const end = head.start + head.units;
      const parts = [rows(p, 0, head.start), rows(fresh[k] as tf.Tensor, head.start, head.units), rows(p, end, total - end)].filter((t) => (t.shape[0] as number) > 0);
      return tf.concat(parts, 0);
    }),
  );
  tf.dispose(fresh);
  return { spec: model.spec, params, buffers: model.buffers.map((b) => tf.clone(b)) };
}

/**
 * Forgets head `input.head` of a multi-head net with one of `TASK_METHODS`.
 * Throws MultiHeadNetError for other methods, InvalidSpecError for a head the
 * net lacks, InvalidHyperparameterError for bad hyperparameters.
 */
export async function unlearnTask(method: string, input: TaskUnlearnInput, hp: Partial<Hyperparameters> = {}): Promise<UnlearnResult> {
  const name = checkTaskMethod(method);
  const head = findHead(input.model.spec, input.head);
  const h = resolveHyperparameters(name, TASK_DEFAULTS[name], hp) as Record<string, number>;
  const t0 = performance.now();
  const spec = input.model.spec;
  const keep = { [head.name]: 0 };
  const done = (model: TrainedNet, steps: number): UnlearnResult => ({ model, steps, seconds: (performance.now() - t0) / 1000 });
  if (name === 'retrain') {
    const model = await trainTaskNet(spec, input.train, head.name, { epochs: h.epochs, batchSize: h.batchSize, lr: h.lr, seed: input.seed, onProgress: input.onProgress });
    return done(model, (h.epochs as number) * Math.ceil(input.train.labels.shape[0] / (h.batchSize as number)));
  }
  if (name === 'reinit-head') return done(reinitHead(input.model, head, h.seed as number), 0);
  const target = (h.targetForgetAccuracy ?? -1) < 0 ? 1 / head.units : (h.targetForgetAccuracy as number);
  const stop = ascentStop(name, { patience: h.patience ?? 0, targetForgetAccuracy: target });
  const loss: LossFn =
    name === 'ft'
      ? (out, batch) => netLoss(spec, out.output, batch.y, keep)
      : name === 'ga'
        ? (out, batch) => tf.neg(ascentLoss(head, out.output, batch.y, stop.observe))
        : (out, batch) => tf.sub(tf.mul(netLoss(spec, out.output, batch.y, keep), h.alpha as number), tf.mul(ascentLoss(head, out.output, batch.y, stop.observe), 1 - (h.alpha as number)));
  const r = optimize({
    model: input.model,
    sources: { train: { data: input.train, batchSize: h.batchSize as number } },
    epochs: h.epochs,
    loss,
    lr: h.lr as number,
    optimizer: 'sgd',
    momentum: h.momentum ?? 0,
    clipNorm: h.clipNorm && h.clipNorm > 0 ? h.clipNorm : undefined,
    seed: input.seed,
    label: `${name} (task)`,
    onStep: name === 'ft' ? undefined : stop.onStep,
    onProgress: input.onProgress,
  });
  return done(r.model, r.steps);
}
