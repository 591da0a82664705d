/**
 * The zoo format's record: one line of `index.jsonl` per finished net (DESIGN.md, "Storage formats").
 *
 * A record names the training run it came from, so splits can keep every checkpoint of a run on one side
 * (the NFN protocol), and the checkpoint epoch, so "final checkpoints only" is a filter, not a second zoo.
 */

/** Hyperparameters as sampled for one run. Strings are categorical (one-hot for a hyperparameter baseline). */
export type ZooHyperparams = Readonly<Record<string, number | string | boolean>>;

/** What a finished checkpoint scored. Accuracies are fractions in [0, 1]; losses are mean cross-entropy. */
export interface ZooMetrics {
  readonly trainAcc: number;
  readonly trainLoss: number;
  readonly valAcc: number;
  readonly valLoss: number;
  readonly testAcc: number;
  readonly testLoss: number;
}

/** One finished net of a zoo: a checkpoint of one training run. */
export interface ZooRecord {
  /** Unique within the zoo and stable across reruns, e.g. `r000123-e020`. */
  readonly id: string;
  /** Index of the training run; every checkpoint of one run shares it. */
  readonly run: number;
  /** Epoch at which this checkpoint was taken (0 = at initialisation). */
  readonly epoch: number;
  /** True for the run's last checkpoint (the one accuracy prediction trains on). */
  readonly final: boolean;
  /**
   * Set (true) on the final record of a run whose loss or gradient became non-finite: training stopped there, and
   * the run's last stored checkpoint is the last one reached with finite weights.
   */
  readonly diverged?: true;
  /** Architecture family, e.g. `small-cnn`; the net's own spec is in its bundle. */
  readonly arch: string;
  readonly hparams: ZooHyperparams;
  readonly metrics: ZooMetrics;
  /** The run's seed, derived from the zoo seed and the run index. */
  readonly seed: number;
  /** Wall time of the run up to this checkpoint, in milliseconds. */
  readonly wallTimeMs: number;
  /** Path of the net's bundle (@metanet/nets format), relative to the zoo directory. */
  readonly file: string;
}
