import { InvalidTrainingOptionsError } from '../errors';
import type { Dataset } from '@metanet/data';
import type { tf } from '@metanet/tensor';
import type { OptimizerKind } from './optimizer';
import type { EarlyStoppingOptions, PlateauOptions } from './schedule';

/** Loss and accuracy of one epoch, on training and validation data. */
export interface EpochMetrics {
  /** 1-based. */
  epoch: number;
  /** Mean train-mode loss over the epoch's batches. */
  trainLoss: number;
  /** Train-mode accuracy over the epoch's batches. */
  trainAccuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  /** Learning rate used during this epoch. */
  lr: number;
  /** Wall time of the epoch (training + validation). Not deterministic. */
  seconds: number;
}

/** The weights at the end of an epoch, as `onEpoch` sees them. */
export interface EpochWeights {
  readonly params: readonly tf.Tensor[];
  readonly buffers: readonly tf.Tensor[];
}

  /** Called after each batch. */
export interface BatchProgress {
  epoch: number;
  step: number;
  steps: number;
  loss: number;
}

/** Options of `train`: epochs, batch size, optimizer, schedule, checkpoints and callbacks. */
export interface TrainOptions {
  epochs: number;
  /** Default 64. */
  batchSize?: number;
  /** Default 'adam'. */
  optimizer?: OptimizerKind;
  /** Default 1e-3. */
  lr?: number;
  /** L2 added to the gradient (PyTorch `weight_decay`). Default 0. */
  weightDecay?: number;
  /** SGD momentum. Default 0. */
  momentum?: number;
  /** Reduce the lr when the monitored loss (val, else train) plateaus. Default off. */
  reduceLROnPlateau?: PlateauOptions | false;
  /** Stop when the monitored loss (val, else train) stops improving. Default off. */
  earlyStopping?: EarlyStoppingOptions | false;
  /** Validation set: per-epoch val metrics, best-on-validation weights. */
  valSet?: Dataset;
  /** With a valSet, return the best-on-validation weights (default true) instead of the last ones. */
  restoreBest?: boolean;
  /** Seeds shuffling (per epoch) and dropout (per epoch and step). Default 0. */
  seed?: number;
  /** Initial BN running statistics (default fresh). */
  buffers?: readonly tf.Tensor[];
  /**
   * Called after every epoch with its metrics and the weights reached (valid during the call only: copy what you
   * keep). A model zoo stores its checkpoints from here.
   */
  onEpoch?: (m: EpochMetrics, weights: EpochWeights) => void | Promise<void>;
  /** Called after each batch. */
  onBatch?: (p: BatchProgress) => void;
  /** Write a checkpoint here after every epoch. */
  checkpointDir?: string;
  /** Continue from the latest checkpoint in checkpointDir, if any. */
  resume?: boolean;
  /** Batch size of validation passes. Default 256. */
  evalBatchSize?: number;
  /**
   * A multi-head net's loss weight per head name (default 1 each): the loss is
   * Σ w_k · CE of head k on its labels. A head of weight 0 is not trained.
   */
  headWeights?: Readonly<Record<string, number>>;
}

export interface ResolvedTrainOptions {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerKind;
  lr: number;
  weightDecay: number;
  momentum: number;
  reduceLROnPlateau: PlateauOptions | false;
  earlyStopping: EarlyStoppingOptions | false;
  seed: number;
}

function check(ok: boolean, msg: string): void {
  if (!ok) throw new InvalidTrainingOptionsError(msg);
}

export function resolveTrainOptions(o: TrainOptions): ResolvedTrainOptions {
  const r: ResolvedTrainOptions = {
    epochs: o.epochs,
    batchSize: o.batchSize ?? 64,
    optimizer: o.optimizer ?? 'adam',
    lr: o.lr ?? 1e-3,
    weightDecay: o.weightDecay ?? 0,
    momentum: o.momentum ?? 0,
    reduceLROnPlateau: o.reduceLROnPlateau ?? false,
    earlyStopping: o.earlyStopping ?? false,
    seed: o.seed ?? 0,
  };
  check(Number.isInteger(r.epochs) && r.epochs >= 0, `epochs must be an integer ≥ 0, got ${o.epochs}`);
  check(Number.isInteger(r.batchSize) && r.batchSize >= 1, `batchSize must be an integer ≥ 1, got ${o.batchSize}`);
  check(['adam', 'rmsprop', 'sgd'].includes(r.optimizer), `optimizer must be 'adam', 'rmsprop' or 'sgd', got ${JSON.stringify(o.optimizer)}`);
  check(Number.isFinite(r.lr) && r.lr > 0, `lr must be a finite number > 0, got ${o.lr}`);
  check(Number.isFinite(r.weightDecay) && r.weightDecay >= 0, `weightDecay must be ≥ 0, got ${o.weightDecay}`);
  check(Number.isFinite(r.momentum) && r.momentum >= 0 && r.momentum < 1, `momentum must be in [0, 1), got ${o.momentum}`);
  check(Number.isInteger(r.seed), `seed must be an integer, got ${o.seed}`);
  if (r.earlyStopping) check(Number.isInteger(r.earlyStopping.patience) && r.earlyStopping.patience >= 1, 'earlyStopping.patience must be an integer ≥ 1');
  check(!o.resume || typeof o.checkpointDir === 'string', 'resume needs a checkpointDir');
  return r;
}
