/**
 * The accuracy-prediction experiment: every method on the same splits and test nets, over several
 * seeds, in up to three settings (final checkpoints, the NFN protocol; all checkpoints, reported
 * apart because epoch-0 nets make ranking easy; out of distribution), plus τ against the number
 * of training nets. The split is fixed by `splitSeed`; the seeds vary the predictors'
 * initialisation and batch order, so every method and seed is scored on the same test nets.
 */
import { InvalidPredictionInputError } from './errors';
import { predictionMethod } from './methods';
import { scorePredictions } from './score';
import { splitByPredicate, splitZoo, subsampleTrain, type ZooSplit } from './splits';
import { targetOf, type FitOptions, type FitProgress, type Predictor, type ZooEntry } from './types';

/** Mean and sample standard deviation over seeds (std 0 for one seed). */
export interface MeanStd {
  readonly mean: number;
  readonly std: number;
}

export type PredictionSetting = 'final' | 'all-checkpoints' | 'ood';

/** One fit, scored on the test nets. */
export interface SeedResult {
  readonly seed: number;
  readonly tau: number;
  readonly r2: number;
  readonly bestEpoch: number;
  readonly epochsRun: number;
  readonly trainMs: number;
  /** Test nets predicted per second (features or graphs included). */
  readonly netsPerSecond: number;
  /** The candidate the fit kept on val τ, for methods that choose (FitReport.choice). */
  readonly choice?: string;
}

/** One line of the τ / R² table. */
export interface ResultRow {
  readonly method: string;
  readonly setting: PredictionSetting;
  readonly trainNets: number;
  readonly testNets: number;
  readonly tau: MeanStd;
  readonly r2: MeanStd;
  readonly seeds: readonly SeedResult[];
}

/** One test net's prediction, for the predicted-vs-true plot. */
export interface PredictionPoint {
  readonly method: string;
  readonly setting: PredictionSetting;
  readonly seed: number;
  readonly id: string;
  readonly trueAcc: number;
  readonly predicted: number;
}

/** τ with a given number of training nets (final-checkpoint setting). */
export interface SizePoint {
  readonly method: string;
  readonly trainNets: number;
  readonly tau: MeanStd;
  readonly r2: MeanStd;
}

export interface AccuracyPredictionOptions {
  readonly entries: readonly ZooEntry[];
  /** Method names (see PREDICTION_METHODS). */
  readonly methods: readonly string[];
  /** Predictor seeds. Default [0, 1, 2]. */
  readonly seeds?: readonly number[];
  /** Seed of the split. Default 0. */
  readonly splitSeed?: number;
  /** Training-set sizes for the τ-vs-size curve; sizes at or above the full train split are left out (the table has "all"). Default none. */
  readonly trainSizes?: readonly number[];
  /** In the final-checkpoint setting, train on every checkpoint of the training runs (val and test stay final). Default false. */
  readonly trainAllCheckpoints?: boolean;
  /** Also score the all-checkpoint split. Default false. */
  readonly allCheckpoints?: boolean;
  /** Out of distribution: train on nets this accepts (e.g. width ≤ 16), test on the rest. */
  readonly ood?: (entry: ZooEntry) => boolean;
  /** Fit options per method name (epochs, batch size, ...), or for all under '*'. */
  readonly fit?: Readonly<Record<string, FitOptions>>;
  /**
   * Finished fits by key (`final/statnn/seed0`, `size250/gmn/seed1`, ...): a fit found here is not run
   * again, and every fit is put here as it ends, so a killed experiment resumes where it stopped.
   */
  readonly store?: FitStore;
  /** Called with each trained predictor before it is disposed (e.g. to save it). */
  readonly onFitted?: (key: string, predictor: Predictor) => void;
  /** Called once per fit as it starts, and after each of its epochs. */
  readonly onProgress?: (event: { method: string; setting: PredictionSetting | 'size'; seed: number; fit: number; fits: number; epoch?: FitProgress }) => void;
}

/** What one fit leaves: its scores and its test predictions (in test-split order). */
export interface FitOutcome {
  readonly result: SeedResult;
  readonly predicted: Float32Array;
}

/** Where finished fits are kept between runs. */
export interface FitStore {
  get(key: string): FitOutcome | undefined;
  put(key: string, outcome: FitOutcome): void;
}

export interface AccuracyPredictionResult {
  readonly rows: readonly ResultRow[];
  readonly predictions: readonly PredictionPoint[];
  readonly sizeCurve: readonly SizePoint[];
  readonly splits: Readonly<Partial<Record<PredictionSetting, { train: number; val: number; test: number }>>>;
}

/** Mean and sample standard deviation. */
export function meanStd(values: readonly number[]): MeanStd {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, std };
}

interface Job {
  method: string;
  setting: PredictionSetting | 'size';
  split: ZooSplit;
  seed: number;
}

/** The key of a fit in a FitStore. */
export function fitKey(job: { setting: string; method: string; seed: number; split: ZooSplit }): string {
  const setting = job.setting === 'size' ? `size${job.split.train.length}` : job.setting;
  return `${setting}/${job.method}/seed${job.seed}`;
}

/**
 * Fits one method with one seed on a split and scores it on the split's test nets: the unit that
 * `runAccuracyPrediction` repeats over methods, seeds and settings, and that the bench runs as one
 * pool unit. `onFitted` sees the predictor before it is disposed (e.g. to save it).
 */
export async function fitOnSplit(
  method: string,
  split: ZooSplit,
  seed: number,
  options: FitOptions = {},
  onFitted?: (predictor: Predictor) => void,
): Promise<FitOutcome> {
  const { predictor, report } = await predictionMethod(method).fit(split.train, split.val, { ...options, seed });
  try {
    const t0 = performance.now();
    const predicted = predictor.predict(split.test);
    const seconds = (performance.now() - t0) / 1000;
    const score = scorePredictions(Float32Array.from(split.test, targetOf), predicted);
    const result: SeedResult = {
      seed,
      ...score,
      bestEpoch: report.bestEpoch,
      epochsRun: report.epochsRun,
      trainMs: report.trainMs,
      netsPerSecond: split.test.length / Math.max(seconds, 1e-9),
      ...(report.choice !== undefined && { choice: report.choice }),
    };
    onFitted?.(predictor);
    return { result, predicted };
  } finally {
    predictor.dispose();
  }
}

async function runJob(job: Job, o: AccuracyPredictionOptions, index: number, fits: number): Promise<FitOutcome> {
  const key = fitKey(job);
  const stored = o.store?.get(key);
  if (stored && stored.predicted.length === job.split.test.length) return stored;
  const base = { method: job.method, setting: job.setting, seed: job.seed, fit: index, fits };
  o.onProgress?.(base);
  const fitOptions: FitOptions = { ...o.fit?.['*'], ...o.fit?.[job.method], onEpoch: (epoch) => o.onProgress?.({ ...base, epoch }) };
  const outcome = await fitOnSplit(job.method, job.split, job.seed, fitOptions, (predictor) => o.onFitted?.(key, predictor));
  o.store?.put(key, outcome);
  return outcome;
}

function checkOptions(o: AccuracyPredictionOptions, seeds: readonly number[]): void {
  if (o.methods.length === 0) throw new InvalidPredictionInputError('no methods given; pass at least one method name');
  for (const m of o.methods) predictionMethod(m);
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s))) throw new InvalidPredictionInputError('seeds must be a non-empty list of integers');
}

/**
 * Runs the experiment and returns the τ / R² table (mean ± std over seeds), every test net's
 * prediction, and the τ-vs-size curve. Throws EmptySplitError when the zoo is too small to split.
 */
export async function runAccuracyPrediction(o: AccuracyPredictionOptions): Promise<AccuracyPredictionResult> {
  const seeds = o.seeds ?? [0, 1, 2];
  checkOptions(o, seeds);
  const splitSeed = o.splitSeed ?? 0;
  const settings: [PredictionSetting, ZooSplit][] = [['final', splitZoo(o.entries, { seed: splitSeed, trainAllCheckpoints: o.trainAllCheckpoints ?? false })]];
  if (o.allCheckpoints) settings.push(['all-checkpoints', splitZoo(o.entries, { seed: splitSeed, finalOnly: false })]);
  if (o.ood) settings.push(['ood', splitByPredicate(o.entries, o.ood, { seed: splitSeed })]);
  const full = settings[0]![1];
  const sizes = [...new Set(o.trainSizes ?? [])].filter((s) => s < full.train.length).sort((a, b) => a - b);
  const jobs: Job[] = [];
  for (const [setting, split] of settings) for (const method of o.methods) for (const seed of seeds) jobs.push({ method, setting, split, seed });
  for (const size of sizes) {
    for (const method of o.methods) for (const seed of seeds) jobs.push({ method, setting: 'size', split: subsampleTrain(full, size, splitSeed), seed });
  }
  const done: ({ job: Job } & FitOutcome)[] = [];
  for (const [i, job] of jobs.entries()) done.push({ job, ...(await runJob(job, o, i, jobs.length)) });
  const rows: ResultRow[] = [];
  const predictions: PredictionPoint[] = [];
  for (const [setting, split] of settings) {
    for (const method of o.methods) {
      const mine = done.filter((d) => d.job.setting === setting && d.job.method === method);
      const results = mine.map((d) => d.result);
      rows.push({ method, setting, trainNets: split.train.length, testNets: split.test.length, tau: meanStd(results.map((r) => r.tau)), r2: meanStd(results.map((r) => r.r2)), seeds: results });
      for (const d of mine) {
        split.test.forEach((e, k) => predictions.push({ method, setting, seed: d.job.seed, id: e.record.id, trueAcc: targetOf(e), predicted: d.predicted[k]! }));
      }
    }
  }
  const sizeCurve: SizePoint[] = [];
  for (const method of o.methods) {
    const trainNetsOf = (d: (typeof done)[number]): number => d.job.split.train.length;
    const bySize = new Map<number, SeedResult[]>();
    for (const d of done.filter((x) => x.job.setting === 'size' && x.job.method === method)) {
      bySize.set(trainNetsOf(d), [...(bySize.get(trainNetsOf(d)) ?? []), d.result]);
    }
    const all = rows.find((r) => r.method === method && r.setting === 'final')!;
    bySize.set(all.trainNets, [...all.seeds]);
    for (const [trainNets, rs] of [...bySize].sort((a, b) => a[0] - b[0])) {
      sizeCurve.push({ method, trainNets, tau: meanStd(rs.map((r) => r.tau)), r2: meanStd(rs.map((r) => r.r2)) });
    }
  }
  const splits = Object.fromEntries(settings.map(([s, sp]) => [s, { train: sp.train.length, val: sp.val.length, test: sp.test.length }]));
  return { rows, predictions, sizeCurve, splits };
}
