/**
 * Relearn time ("filtering is not unlearning"): how many fine-tuning
 * steps on a small fixed slice of D_f bring the forget accuracy back to a
 * target. Knowledge that was only hidden comes back in a few steps; knowledge
 * that was deleted takes about as long as for the gold (retrained) model,
 * which never saw D_f, so gold sets the reference.
 *
 * One fixed recipe for every model, so the numbers compare: Adam at a fixed
 * lr, a fixed batch size, eval mode (BN running statistics frozen, dropout
 * off; fine-tuning on one class in train mode would rewrite the BN statistics
 * and measure that instead of relearning), constant lr, no weight decay.
 * Accuracy is checked on `evalForget` (use held-out samples of the forgotten
 * classes, e.g. the test-forget split, not the slice itself) before the first
 * step and every `evalEvery` steps. Scoring uses @metanet/metrics.
 *
 * Caveat: the metric sees what gradient descent can undo. A filter that adds a
 * huge constant (e.g. logit-mask's −1e4 bias) cannot be undone in `maxSteps`
 * small steps either, so relearn time reads "not reached" for it; probe
 * recoverability is the metric that exposes that kind of filtering.
 */
import { tf } from '@metanet/tensor';
import { datasetSize, labelsOf, subsetDataset, type Dataset } from '@metanet/data';
import { accuracy } from '@metanet/metrics';
import { EmptyForgetSetError, InvalidHyperparameterError } from './errors';
import { optimize } from './loop';
import { crossEntropyLoss } from './losses';
import { predictOutputs } from './predict';
import { sampleIndices } from './requests/select';
import type { TrainedNet } from './types';

/** Options of relearn time: target forget accuracy, step cap and training settings. */
export interface RelearnOptions {
  /** Forget accuracy to reach, in [0, 1]. Default 0.5. */
  target?: number;
  /** Give up after this many steps ("not reached"). Default 200. */
  maxSteps?: number;
  /** Default 16. */
  batchSize?: number;
  /** Adam learning rate. Default 1e-3. */
  lr?: number;
  /** Check the accuracy every this many steps. Default 1. */
  evalEvery?: number;
  /** Seeds the batch order. Default 0. */
  seed?: number;
}

/** Relearn time: the steps a model needs to relearn the forgotten data. */
export interface RelearnResult {
  /** Steps taken until the target was first met (0 if met before training); maxSteps when not reached. */
  steps: number;
  reached: boolean;
  /** Forget accuracy (0–1) before fine-tuning. */
  initialAccuracy: number;
  /** Forget accuracy (0–1) at the last check. */
  finalAccuracy: number;
  /** Every check: (step, accuracy). */
  history: { step: number; accuracy: number }[];
}

const DEFAULTS: Required<RelearnOptions> = { target: 0.5, maxSteps: 200, batchSize: 16, lr: 1e-3, evalEvery: 1, seed: 0 };

/** A fixed slice of `forget` (`size` samples, seeded, in dataset order); the caller disposes it. Default 64 samples. */
export function relearnSlice(forget: Dataset, size = 64, seed = 0): Dataset {
  const n = datasetSize(forget);
  const idx = sampleIndices(Int32Array.from({ length: n }, (_, i) => i), Math.min(size, n), seed);
  return subsetDataset(forget, idx, `${forget.name}[relearn ${idx.length}]`);
}

function resolve(opts: RelearnOptions): Required<RelearnOptions> {
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) } as Required<RelearnOptions>;
  if (!(o.target >= 0 && o.target <= 1)) throw new InvalidHyperparameterError(`relearn target must be in [0, 1], got ${o.target}; e.g. 0.5 for 50% forget accuracy`);
  for (const k of ['maxSteps', 'batchSize', 'evalEvery'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < (k === 'maxSteps' ? 0 : 1)) throw new InvalidHyperparameterError(`relearn ${k} must be a positive integer, got ${o[k]}`);
  }
  if (!(o.lr > 0 && Number.isFinite(o.lr))) throw new InvalidHyperparameterError(`relearn lr must be a finite number > 0, got ${o.lr}`);
  if (!Number.isInteger(o.seed)) throw new InvalidHyperparameterError(`relearn seed must be an integer, got ${o.seed}`);
  return o;
}

/**
 * Fine-tunes a copy of `model` on `forgetSlice` (see `relearnSlice`) and
 * returns the steps needed to reach `target` accuracy on `evalForget`. The
 * model is not mutated; nothing leaks.
 */
export function relearnTime(model: TrainedNet, forgetSlice: Dataset, evalForget: Dataset, opts: RelearnOptions = {}): RelearnResult {
  const o = resolve(opts);
  if (datasetSize(forgetSlice) === 0) throw new EmptyForgetSetError(`relearn: the forget slice ${forgetSlice.name} is empty; pass samples of the forgotten data`);
  if (datasetSize(evalForget) === 0) throw new EmptyForgetSetError(`relearn: the evaluation set ${evalForget.name} is empty; pass held-out samples of the forgotten classes`);
  const yEval = labelsOf(evalForget);
  const score = (m: TrainedNet): number => accuracy(predictOutputs(m, evalForget), yEval);
  const initialAccuracy = score(model);
  const history = [{ step: 0, accuracy: initialAccuracy }];
  if (initialAccuracy >= o.target || o.maxSteps === 0) {
    return { steps: 0, reached: initialAccuracy >= o.target, initialAccuracy, finalAccuracy: initialAccuracy, history };
  }
  let reachedAt = -1;
  const r = optimize({
    model,
    sources: { forget: { data: forgetSlice, batchSize: o.batchSize } },
    steps: o.maxSteps,
    loss: (out, batch) => crossEntropyLoss(out.output, batch.y),
    lr: o.lr,
    optimizer: 'adam',
    mode: 'eval',
    seed: o.seed,
    label: 'relearn',
    onStep: (step, current) => {
      if (step % o.evalEvery !== 0 && step !== o.maxSteps) return false;
      const acc = score(current);
      history.push({ step, accuracy: acc });
      if (acc >= o.target) {
        reachedAt = step;
        return true;
      }
      return false;
    },
  });
  tf.dispose([...r.model.params, ...r.model.buffers]);
  const finalAccuracy = (history[history.length - 1] as { accuracy: number }).accuracy;
  return { steps: reachedAt > 0 ? reachedAt : o.maxSteps, reached: reachedAt > 0, initialAccuracy, finalAccuracy, history };
}

/** A table cell for a relearn result: the step count, or "> maxSteps" when not reached. */
export function formatRelearn(r: RelearnResult): string {
  return r.reached ? String(r.steps) : `>${r.steps}`;
}
