/**
 * One training run of a zoo: sample the plan from the run's seed, initialise, train, and score the checkpoints the
 * protocol names. Everything random is a function of (zoo seed, run index); the worker, the time and the order in
 * which runs finish play no part, so a run gives the same bytes wherever and whenever it runs.
 */
import { createRng, NonFiniteLossError, tf } from '@metanet/tensor';
import { evaluate, initBuffers, initParams, mixSeed, train } from '@metanet/nets';
import type { Dataset } from '@metanet/data';
import type { NetSpec } from '@metanet/spec';
import { trainSubset, type ZooData } from './data';
import { ZooSettingsMismatchError } from './errors';
import { presetByName } from './presets/index';
import type { ZooHyperparams, ZooMetrics } from './record';
import type { ZooSettings } from './settings';

/** A stored checkpoint of a run, as host arrays. */
export interface RunCheckpoint {
  readonly epoch: number;
  readonly params: Float32Array[];
  readonly buffers: Float32Array[];
  readonly metrics: ZooMetrics;
  readonly wallTimeMs: number;
}

/** What a run produced, ready to be written by the builder. */
export interface RunResult {
  readonly run: number;
  readonly seed: number;
  readonly arch: string;
  readonly spec: NetSpec;
  readonly hparams: ZooHyperparams;
  readonly checkpoints: RunCheckpoint[];
  /** True when the loss or a metric became non-finite: the checkpoints stop at the last finite one. */
  readonly diverged: boolean;
}

/** The seed of run `run` of a zoo seeded `zooSeed`. */
export function runSeed(zooSeed: number, run: number): number {
  return mixSeed(zooSeed, run);
}

/** Thrown inside `onEpoch` to stop a run whose metrics are no longer finite. */
class DivergedMetrics extends Error {}

function score(spec: NetSpec, params: readonly tf.Tensor[], buffers: readonly tf.Tensor[], sets: { train: Dataset; val: Dataset; test: Dataset }): ZooMetrics {
  const ev = (ds: Dataset): { loss: number; accuracy: number } => evaluate(spec, params, ds, { buffers, batchSize: 1000 });
  const [tr, va, te] = [ev(sets.train), ev(sets.val), ev(sets.test)];
  return { trainAcc: tr.accuracy, trainLoss: tr.loss, valAcc: va.accuracy, valLoss: va.loss, testAcc: te.accuracy, testLoss: te.loss };
}

const finite = (m: ZooMetrics): boolean => Object.values(m).every((v) => Number.isFinite(v));

/** Trains run `run` of the zoo `settings` describes, on `data` (loaded by `loadZooData(settings.dataset)`). */
export async function trainRun(settings: ZooSettings, run: number, data: ZooData): Promise<RunResult> {
  const start = performance.now();
  const seed = runSeed(settings.seed, run);
  const preset = presetByName(settings.preset);
  if (settings.presetRevision !== preset.revision) {
    // A queue worker on older (or newer) code would otherwise train other plans under the same zoo settings.
    throw new ZooSettingsMismatchError(`the zoo's ${settings.preset} preset is revision ${settings.presetRevision ?? 1}, this @metanet/zoo samples revision ${preset.revision ?? 1}; run the same @metanet/zoo version as the builder`);
  }
  const plan = preset.sample(createRng(seed), settings.dataset);
  const { protocol } = settings;
  const trainSet = trainSubset(data.pool, plan.trainFraction, mixSeed(seed, 3));
  const nEval = Math.min(protocol.trainEvalSize, trainSet.images.shape[0]);
  const trainEval = nEval === trainSet.images.shape[0] ? trainSet : { ...trainSet, images: tf.slice(trainSet.images, 0, nEval), labels: tf.slice(trainSet.labels, 0, nEval) };
  const sets = { train: trainEval, val: data.val, test: data.test };
  const checkpoints: RunCheckpoint[] = [];
  const keep = (epoch: number, params: readonly tf.Tensor[], buffers: readonly tf.Tensor[]): void => {
    const metrics = score(plan.spec, params, buffers, sets);
    if (!finite(metrics)) throw new DivergedMetrics();
    checkpoints.push({
      epoch,
      params: params.map((p) => Float32Array.from(p.dataSync())),
      buffers: buffers.map((b) => Float32Array.from(b.dataSync())),
      metrics,
      wallTimeMs: settings.wallTime ? Math.round(performance.now() - start) : 0,
    });
  };

  const init = initParams(plan.spec, { scheme: plan.init.scheme, std: plan.init.std, seed: mixSeed(seed, 1) });
  // Batch-norm nets score (and store) their epoch-0 checkpoint with fresh running statistics, as training starts.
  const initStats = initBuffers(plan.spec);
  let diverged = false;
  try {
    if (protocol.checkpoints.includes(0)) keep(0, init, initStats);
    const result = await train(plan.spec, init, trainSet, {
      epochs: protocol.epochs,
      batchSize: protocol.batchSize,
      optimizer: plan.optimizer,
      lr: plan.lr,
      weightDecay: plan.l2,
      seed: mixSeed(seed, 2),
      onEpoch: (m, w) => {
        if (protocol.checkpoints.includes(m.epoch)) keep(m.epoch, w.params, w.buffers);
      },
    });
    tf.dispose([...result.params, ...result.buffers]);
  } catch (e) {
    if (!(e instanceof NonFiniteLossError || e instanceof DivergedMetrics)) throw e;
    diverged = true;
  } finally {
    tf.dispose([...init, ...initStats]);
    if (trainEval !== trainSet) tf.dispose([trainEval.images, trainEval.labels]);
    tf.dispose([trainSet.images, trainSet.labels]);
  }
  return { run, seed, arch: plan.arch, spec: plan.spec, hparams: plan.hparams, checkpoints, diverged };
}
