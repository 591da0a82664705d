/**
 * Building a zoo: the runs of one shard, trained on a piscina worker pool (one tfjs instance per worker thread) or
 * in this thread (`workers: 0`), written as they finish, resumable after a kill at any moment.
 */
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { InvalidZooOptionsError } from './errors';
import { presetByName } from './presets/index';
import type { ZooRecord } from './record';
import type { RunResult } from './run';
import { ZOO_FORMAT, ZOO_VERSION, type ZooSettings } from './settings';
import type { RunTask } from './worker';
import { finaliseIndex, openZooDir, writeRun } from './zoo-dir';

/** A slice of the runs: run r belongs to shard `index` of `count` when r mod count = index. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Options of `buildZoo`. */
export interface BuildZooOptions {
  readonly preset: string;
  readonly out: string;
  /** Default: the preset's run count (its quick count with `quick`). */
  readonly runs?: number;
  /** Zoo seed. Default 0. */
  readonly seed?: number;
  /** Worker threads; 0 trains in this thread. Default: the machine's cores. */
  readonly workers?: number;
  readonly shard?: Shard;
  readonly quick?: boolean;
  /** Record wall times (default true); false makes `index.jsonl` byte-reproducible too. */
  readonly wallTime?: boolean;
  /** Where Fashion-MNIST lives, if not in the usual places. Not a setting: the bytes read are the same. */
  readonly dataDir?: string;
  /**
   * Runs the tasks somewhere else (e.g. a BullMQ queue) and calls `onResult` once per finished run; default: the
   * worker pool of `workers` threads. The builder still writes every file, so the zoo is the same either way.
   */
  readonly executor?: RunExecutor;
  /** Called after every finished run. */
  readonly onProgress?: (p: BuildProgress) => void;
}

/** Progress of a build, for bars. */
export interface BuildProgress {
  readonly done: number;
  readonly total: number;
  /** Runs finished in this process (excludes runs found complete on disk). */
  readonly trainedNow: number;
  /** Nets (checkpoints) those runs stored. */
  readonly netsNow: number;
  readonly elapsedMs: number;
}

/** What a build did. */
export interface BuildZooSummary {
  readonly settings: ZooSettings;
  readonly runs: number;
  /** Runs of this shard found complete on disk (a resumed build). */
  readonly resumed: number;
  readonly trained: number;
  /** Nets (checkpoints) the runs trained in this process stored. */
  readonly trainedNets: number;
  readonly records: number;
  readonly repaired: { readonly tornBytes: number; readonly droppedLines: number };
  readonly elapsedMs: number;
}

/** The settings a build with these options writes into zoo.json. */
export function zooSettings(preset: string, o: { seed?: number; quick?: boolean; wallTime?: boolean } = {}): ZooSettings {
  const p = presetByName(preset);
  const seed = o.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0) throw new InvalidZooOptionsError(`the zoo seed must be an integer ≥ 0, got ${seed}`);
  return {
    format: ZOO_FORMAT,
    version: ZOO_VERSION,
    preset: p.name,
    ...(p.revision !== undefined ? { presetRevision: p.revision } : {}),
    seed,
    quick: o.quick ?? false,
    dataset: o.quick ? (p.quick.dataset ?? p.dataset) : p.dataset,
    protocol: o.quick ? p.quick.protocol : p.protocol,
    wallTime: o.wallTime ?? true,
  };
}

/** Parses `i/n` (0 ≤ i < n). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || !(count >= 1) || !(index < count)) throw new InvalidZooOptionsError(`--shard takes i/n with 0 ≤ i < n, e.g. 0/4; got ${JSON.stringify(text)}`);
  return { index, count };
}

/** The runs of `shard` among 0..runs-1. */
export function shardRuns(runs: number, shard: Shard = { index: 0, count: 1 }): number[] {
  return Array.from({ length: runs }, (_, r) => r).filter((r) => r % shard.count === shard.index);
}

/** The built worker beside this module: `worker.js` from the ESM build, `worker.cjs` from the CommonJS one. */
function workerFile(): string {
  if (typeof __filename === 'string') return join(dirname(__filename), 'worker.cjs');
  return join(dirname(fileURLToPath(import.meta.url)), 'worker.js');
}

/** Runs zoo runs and hands each result over once, in any order. */
export type RunExecutor = (tasks: readonly RunTask[], onResult: (r: RunResult) => void) => Promise<void>;

async function runAll(todo: number[], task: (run: number) => RunTask, workers: number, onResult: (r: RunResult) => void): Promise<void> {
  if (workers === 0) {
    const { default: runTask } = await import('./worker');
    for (const run of todo) onResult(await runTask(task(run)));
    return;
  }
  const pool = new Piscina<RunTask, RunResult>({ filename: workerFile(), maxThreads: workers, minThreads: workers });
  try {
    await Promise.all(todo.map((run) => pool.run(task(run)).then(onResult)));
  } finally {
    await pool.destroy();
  }
}

/**
 * Builds (or resumes) the zoo in `o.out`. Refuses a directory built with other settings; finalises the index in
 * (run, epoch) order once every run of the shard is on disk.
 */
export async function buildZoo(o: BuildZooOptions): Promise<BuildZooSummary> {
  const start = performance.now();
  const preset = presetByName(o.preset);
  const settings = zooSettings(o.preset, o);
  const runs = o.runs ?? (o.quick ? preset.quick.runs : preset.defaultRuns);
  if (!Number.isInteger(runs) || runs < 1) throw new InvalidZooOptionsError(`--runs must be an integer ≥ 1, got ${runs}`);
  const workers = o.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 0) throw new InvalidZooOptionsError(`--workers must be an integer ≥ 0, got ${workers}`);
  const state = openZooDir(o.out, settings, 'use a new --out directory, or the seed, preset and --quick it was built with');
  const mine = shardRuns(runs, o.shard);
  const todo = mine.filter((r) => !state.complete.has(r));
  const records: ZooRecord[] = [...state.records];
  let done = mine.length - todo.length;
  let trained = 0;
  let nets = 0;
  const report = (): void => o.onProgress?.({ done, total: mine.length, trainedNow: trained, netsNow: nets, elapsedMs: performance.now() - start });
  report();
  const task = (run: number): RunTask => ({ settings, run, ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}) });
  const onResult = (result: RunResult): void => {
    const written = writeRun(o.out, result);
    records.push(...written);
    nets += written.length;
    done++;
    trained++;
    report();
  };
  if (o.executor) await o.executor(todo.map(task), onResult);
  else await runAll(todo, task, workers, onResult);
  const final = finaliseIndex(o.out, records);
  return { settings, runs, resumed: mine.length - todo.length, trained, trainedNets: nets, records: final.length, repaired: state.repaired, elapsedMs: performance.now() - start };
}
