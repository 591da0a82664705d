/**
 * The training loop. Everything random is a pure function of the seed: the
 * shuffle of epoch e comes from (seed, e) and the dropout masks of step s from
 * (seed, e, s). With the optimizer state checkpointed exactly, a run resumed
 * from any epoch boundary is byte-identical to an uninterrupted one.
 */
import { createRng, NonFiniteLossError, tf } from '@metanet/tensor';
import type { Dataset } from '@metanet/data';
import { validateSpec, type NetSpec } from '@metanet/spec';
import { forwardWithBuffers, initBuffers } from '../forward/forward';
import { mixSeed } from '../forward/dropout-mask';
import { readLatestCheckpoint, writeCheckpoint } from './checkpoint';
import { evaluate } from './evaluate';
import { checkHeadWeights, netLoss, primaryHits } from '../heads/heads';
import { createOptimizerState, disposeOptimizerState, optimizerStep, type OptimizerConfig } from './optimizer';
import { resolveTrainOptions, type EpochMetrics, type TrainOptions } from './options';
import { earlyStoppingStep, plateauStep } from './schedule';
import { checkpointTensors, restoreLoop, type LoopState } from './state';

/** What `train` returns: the best-on-validation (or last) parameters and buffers, and the per-epoch history. */
export interface TrainResult {
  /** Best-on-validation weights (with a valSet and restoreBest), else the last ones. */
  params: tf.Tensor[];
  buffers: tf.Tensor[];
  history: EpochMetrics[];
  /** 1-based epoch the returned weights come from. */
  epoch: number;
  stoppedEarly: boolean;
  /** Epochs restored from a checkpoint instead of run. */
  resumedEpochs: number;
}

/** Order of examples in epoch e: a pure function of (seed, e). */
export function epochOrder(n: number, seed: number, epoch: number): Int32Array {
  const order = Array.from({ length: n }, (_, i) => i);
  createRng(mixSeed(seed, epoch)).shuffle(order);
  return Int32Array.from(order);
}

/**
 * Trains `params` (tensors in paramInfos order; not mutated) on `trainSet`
 * with cross-entropy. Throws NonFiniteLossError on a NaN/Inf loss or gradient,
 * leaving the last good checkpoint in place.
 */
export async function train(specIn: NetSpec, params: readonly tf.Tensor[], trainSet: Dataset, opts: TrainOptions): Promise<TrainResult> {
  const spec = validateSpec(specIn);
  const o = resolveTrainOptions(opts);
  checkHeadWeights(spec, opts.headWeights);
  const optCfg: OptimizerConfig = { kind: o.optimizer, weightDecay: o.weightDecay, momentum: o.momentum };
  const n = trainSet.images.shape[0];
  const fingerprint = {
    spec,
    seed: o.seed,
    batchSize: o.batchSize,
    optimizer: o.optimizer,
    lr: o.lr,
    weightDecay: o.weightDecay,
    momentum: o.momentum,
    reduceLROnPlateau: o.reduceLROnPlateau,
    earlyStopping: o.earlyStopping,
    trainSize: n,
    valSize: opts.valSet ? opts.valSet.images.shape[0] : 0,
    // Only when set, so a single-head run's checkpoints keep their fingerprint.
    ...(opts.headWeights ? { headWeights: opts.headWeights } : {}),
  };

  let s: LoopState = {
    params: params.map((p) => tf.clone(p)),
    buffers: opts.buffers ? opts.buffers.map((b) => tf.clone(b)) : initBuffers(spec),
    opt: createOptimizerState(optCfg, params),
    lr: o.lr,
    plateau: { best: null, bad: 0 },
    early: { best: null, bad: 0 },
    best: null,
    history: [],
    stopped: false,
  };
  let resumedEpochs = 0;
  if (opts.resume && opts.checkpointDir) {
    const ck = readLatestCheckpoint(opts.checkpointDir);
    if (ck) {
      const restored = restoreLoop(ck, spec, fingerprint, optCfg);
      tf.dispose([...s.params, ...s.buffers]);
      disposeOptimizerState(s.opt);
      s = restored;
      resumedEpochs = s.history.length;
    }
  }

  const monitor = (m: EpochMetrics): number => m.valLoss ?? m.trainLoss;
  for (let e = s.history.length; e < o.epochs && !s.stopped; e++) {
    const t0 = performance.now();
    const order = epochOrder(n, o.seed, e);
    const steps = Math.ceil(n / o.batchSize);
    let lossSum = 0;
    let hits = 0;
    for (let step = 0; step < steps; step++) {
      const idx = order.subarray(step * o.batchSize, Math.min(n, (step + 1) * o.batchSize));
      const [xb, yb] = tf.tidy(() => {
        const it = tf.tensor1d(idx, 'int32');
        return [tf.gather(trainSet.images, it), tf.gather(trainSet.labels, it)];
      });
      let newBuffers: tf.Tensor[] = [];
      let batchHits: tf.Tensor | null = null;
      const f = (...ps: tf.Tensor[]): tf.Scalar => {
        const r = forwardWithBuffers(spec, ps, xb, { training: true, buffers: s.buffers, seed: mixSeed(o.seed, e, step) });
        newBuffers = r.buffers.map((b) => tf.keep(b));
        batchHits = tf.keep(primaryHits(spec, r.output, yb));
        return netLoss(spec, r.output, yb, opts.headWeights);
      };
      const { value, grads } = tf.valueAndGrads(f)(s.params);
      const stats = tf.tidy(() => tf.stack([value, tf.addN(grads.map((g) => tf.sum(tf.square(g)))), batchHits as unknown as tf.Tensor]).dataSync());
      const [loss, gradSq, h] = [stats[0] as number, stats[1] as number, stats[2] as number];
      tf.dispose([xb, yb, value, batchHits as unknown as tf.Tensor]);
      if (!Number.isFinite(loss) || !Number.isFinite(gradSq)) {
        tf.dispose([...grads, ...newBuffers.filter((b) => !s.buffers.includes(b))]);
        const what = Number.isFinite(loss) ? `gradient (norm² ${gradSq})` : `loss (${loss})`;
        const where = opts.checkpointDir ? `the last good checkpoint is in ${opts.checkpointDir}` : 'no checkpoint was written';
        disposeLoop(s);
        throw new NonFiniteLossError(`non-finite ${what} at epoch ${e + 1}, step ${step + 1}; lower the learning rate or check the data (${where})`, { epoch: e + 1, step: step + 1 });
      }
      const next = optimizerStep(optCfg, s.opt, s.params, grads, s.lr);
      tf.dispose([...grads, ...s.params, ...s.buffers.filter((b) => !newBuffers.includes(b))]);
      disposeOptimizerState(s.opt);
      s.params = next.params;
      s.opt = next.state;
      s.buffers = newBuffers;
      lossSum += loss * idx.length;
      hits += h;
      opts.onBatch?.({ epoch: e + 1, step: step + 1, steps, loss });
      // Yield to the event loop between steps: progress bars redraw, signals and RPCs get through.
      await new Promise<void>((r) => setImmediate(r));
    }
    const m: EpochMetrics = { epoch: e + 1, trainLoss: lossSum / n, trainAccuracy: hits / n, lr: s.lr, seconds: 0 };
    if (opts.valSet) {
      const v = evaluate(spec, s.params, opts.valSet, { buffers: s.buffers, batchSize: opts.evalBatchSize });
      m.valLoss = v.loss;
      m.valAccuracy = v.accuracy;
      if (!s.best || v.accuracy > s.best.valAccuracy) {
        if (s.best) tf.dispose([...s.best.params, ...s.best.buffers]);
        s.best = { epoch: e + 1, valAccuracy: v.accuracy, params: s.params.map((p) => tf.clone(p)), buffers: s.buffers.map((b) => tf.clone(b)) };
      }
    }
    if (o.reduceLROnPlateau) s.lr = plateauStep(o.reduceLROnPlateau, s.plateau, monitor(m), s.lr);
    if (o.earlyStopping) s.stopped = earlyStoppingStep(o.earlyStopping, s.early, monitor(m));
    m.seconds = (performance.now() - t0) / 1000;
    s.history.push(m);
    if (opts.checkpointDir) writeCheckpoint(opts.checkpointDir, e + 1, checkpointTensors(s, spec, fingerprint));
    await opts.onEpoch?.(m, { params: s.params, buffers: s.buffers });
  }

  disposeOptimizerState(s.opt);
  const useBest = opts.valSet && (opts.restoreBest ?? true) && s.best;
  if (useBest && s.best) {
    tf.dispose([...s.params, ...s.buffers]);
    return { params: s.best.params, buffers: s.best.buffers, history: s.history, epoch: s.best.epoch, stoppedEarly: s.stopped, resumedEpochs };
  }
  if (s.best) tf.dispose([...s.best.params, ...s.best.buffers]);
  return { params: s.params, buffers: s.buffers, history: s.history, epoch: s.history.length, stoppedEarly: s.stopped, resumedEpochs };
}

function disposeLoop(s: LoopState): void {
  tf.dispose([...s.params, ...s.buffers]);
  disposeOptimizerState(s.opt);
  if (s.best) tf.dispose([...s.best.params, ...s.best.buffers]);
}
