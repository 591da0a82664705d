import type { NetArrays } from '@metanet/nets';
import type { ZooRecord } from '../record';

/**
 * One net of a zoo in memory: its `index.jsonl` record and its weights. Every predictor and
 * split works on these, so tests build tiny zoos in memory and the CLI reads them from disk.
 */
export interface ZooEntry {
  readonly record: ZooRecord;
  readonly net: NetArrays;
}

/**
 * Lets timers and I/O run between epochs (progress bars, test runners' heartbeats): a fit is
 * synchronous tfjs work that would otherwise hold the event loop for minutes.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** What a predictor learns: the test accuracy, a fraction in [0, 1]. */
export function targetOf(entry: ZooEntry): number {
  return entry.record.metrics.testAcc;
}

/** Progress of one fit, once per epoch. */
export interface FitProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly trainLoss: number;
  readonly valTau: number;
}

/** Options every method's fit accepts. Method-specific defaults apply to what is left out. */
export interface FitOptions {
  /** Seeds initialisation and batch order. Default 0. */
  readonly seed?: number;
  /** Overrides the method's epoch count (tests and quick runs). */
  readonly epochs?: number;
  /** Overrides the method's batch size. */
  readonly batchSize?: number;
  /** Overrides the method's learning rate. */
  readonly lr?: number;
  /** Called after every epoch. */
  readonly onEpoch?: (p: FitProgress) => void;
}

/** A trained accuracy predictor. */
export interface Predictor {
  /** The method that made it (a key of the method registry). */
  readonly method: string;
  /** Predicted test accuracy per entry, in [0, 1]. */
  predict(entries: readonly ZooEntry[]): Float32Array;
  /** Writes it to `dir` in the nets bundle format (manifest.json + weights.bin). */
  save(dir: string): void;
  /** Frees its tensors. */
  dispose(): void;
}

/** What a fit reports besides the predictor. */
export interface FitReport {
  /** Epoch (1-based) whose weights were kept: the best on validation τ. */
  readonly bestEpoch: number;
  readonly bestValTau: number;
  readonly epochsRun: number;
  readonly trainMs: number;
  /** For a method that fits several candidates and keeps the best on val τ: the one kept (the GMN's `auto` readout). */
  readonly choice?: string;
}

/** An accuracy-prediction method: how to fit one, and how to read a saved one back. */
export interface PredictionMethod {
  readonly name: string;
  readonly description: string;
  /** Trains on `train`, choosing the epoch on `val`; yields to the event loop between epochs. */
  fit(train: readonly ZooEntry[], val: readonly ZooEntry[], options?: FitOptions): Promise<{ predictor: Predictor; report: FitReport }>;
}
