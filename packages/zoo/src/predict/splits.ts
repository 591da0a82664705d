/**
 * Train / val / test splits of a zoo, as the NFN code makes them (experiments/data_utils.py,
 * `ZooDataset._split_indices_iid`): keep the final checkpoints, put the second half of a fixed
 * shuffle in test (50 %), and the rest 80/20 into train and val.
 *
 * Two changes, both so that nothing leaks between splits of our zoos, which keep several
 * checkpoints per run: the unit shuffled and cut is the training run, not the net (every
 * checkpoint of a run lands in one split), and the shuffle comes from a seed (`createRng`)
 * instead of a stored index file. With final checkpoints only there is one net per run, so the
 * cut is the NFN one: test = runs ⌊n/2⌋.., train = the first ⌊0.8·⌊n/2⌋⌋ of the shuffled rest.
 */
import { createRng } from '@metanet/tensor';
import { EmptySplitError, InvalidPredictionInputError } from './errors';
import type { ZooEntry } from './types';

/** Three disjoint sets of nets; no training run has nets in two of them. */
export interface ZooSplit {
  readonly train: readonly ZooEntry[];
  readonly val: readonly ZooEntry[];
  readonly test: readonly ZooEntry[];
}

export interface SplitOptions {
  /** Seeds the shuffle of the runs. Default 0. */
  readonly seed?: number;
  /** Keep only each run's final checkpoint (the NFN protocol). Default true; false is the all-checkpoint variant. */
  readonly finalOnly?: boolean;
  /**
   * Train on every checkpoint of the training runs while val and test keep final checkpoints only
   * (with `finalOnly`): more training signal, the test protocol unchanged. Default false.
   */
  readonly trainAllCheckpoints?: boolean;
  /** Share of runs in test. Default 0.5. */
  readonly testFraction?: number;
  /** Share of the remaining runs in train (the rest is val). Default 0.8. */
  readonly trainFraction?: number;
}

function fraction(name: string, v: number): number {
  if (!(v > 0 && v < 1)) throw new InvalidPredictionInputError(`${name}=${v}; use a fraction strictly between 0 and 1`);
  return v;
}

/** Runs in ascending order, each with its nets by epoch (then id), so input order never matters. */
function groupByRun(entries: readonly ZooEntry[]): Map<number, ZooEntry[]> {
  const runs = new Map<number, ZooEntry[]>();
  for (const e of entries) {
    const list = runs.get(e.record.run);
    if (list) list.push(e);
    else runs.set(e.record.run, [e]);
  }
  for (const list of runs.values()) list.sort((a, b) => a.record.epoch - b.record.epoch || (a.record.id < b.record.id ? -1 : 1));
  return new Map([...runs].sort((a, b) => a[0] - b[0]));
}

function nonEmpty(split: ZooSplit, total: number): ZooSplit {
  for (const k of ['train', 'val', 'test'] as const) {
    if (split[k].length === 0) {
      throw new EmptySplitError(`the ${k} split is empty (${total} runs in the zoo); build a zoo with more runs (at least 4 with final checkpoints)`);
    }
  }
  return split;
}

/** Cuts a shuffled list of runs into train and val by `trainFraction`. */
function trainVal(runs: readonly number[], trainFraction: number): [number[], number[]] {
  const cut = Math.floor(trainFraction * runs.length);
  return [runs.slice(0, cut), runs.slice(cut)];
}

function entriesOf(runIds: readonly number[], byRun: Map<number, ZooEntry[]>): ZooEntry[] {
  return [...runIds].sort((a, b) => a - b).flatMap((r) => byRun.get(r) ?? []);
}

/**
 * The NFN split by training run, deterministic from `seed`: the same zoo and seed give the same
 * split, whatever the order of `entries`. Throws EmptySplitError when a split would be empty.
 */
export function splitZoo(entries: readonly ZooEntry[], options: SplitOptions = {}): ZooSplit {
  const testFraction = fraction('testFraction', options.testFraction ?? 0.5);
  const trainFraction = fraction('trainFraction', options.trainFraction ?? 0.8);
  const kept = (options.finalOnly ?? true) ? entries.filter((e) => e.record.final) : entries;
  const byRun = groupByRun(kept);
  const runs = [...byRun.keys()];
  createRng(options.seed ?? 0).shuffle(runs);
  const testStart = Math.floor((1 - testFraction) * runs.length);
  const [train, val] = trainVal(runs.slice(0, testStart), trainFraction);
  const trainBy = options.trainAllCheckpoints ? groupByRun(entries.filter((e) => byRun.has(e.record.run))) : byRun;
  const split = { train: entriesOf(train, trainBy), val: entriesOf(val, byRun), test: entriesOf(runs.slice(testStart), byRun) };
  return nonEmpty(split, runs.length);
}

/**
 * The out-of-distribution split: runs whose nets satisfy `inDistribution` (e.g. width ≤ 16) are
 * cut into train and val as `splitZoo` does; every other run is test. A run with nets on both
 * sides of the predicate goes to test, so training never sees it.
 */
export function splitByPredicate(
  entries: readonly ZooEntry[],
  inDistribution: (entry: ZooEntry) => boolean,
  options: Omit<SplitOptions, 'testFraction'> = {},
): ZooSplit {
  const trainFraction = fraction('trainFraction', options.trainFraction ?? 0.8);
  const kept = (options.finalOnly ?? true) ? entries.filter((e) => e.record.final) : entries;
  const byRun = groupByRun(kept);
  const inside: number[] = [];
  const outside: number[] = [];
  for (const [run, nets] of byRun) (nets.every(inDistribution) ? inside : outside).push(run);
  createRng(options.seed ?? 0).shuffle(inside);
  const [train, val] = trainVal(inside, trainFraction);
  return nonEmpty({ train: entriesOf(train, byRun), val: entriesOf(val, byRun), test: entriesOf(outside, byRun) }, byRun.size);
}

/**
 * The first `size` training runs of a split (in its seeded order), for τ against the number of
 * training nets. Val and test stay as they are, so every size is scored on the same test nets.
 */
export function subsampleTrain(split: ZooSplit, size: number, seed = 0): ZooSplit {
  if (!Number.isInteger(size) || size < 1) throw new InvalidPredictionInputError(`train size ${size}; use a positive integer`);
  const byRun = groupByRun(split.train);
  const runs = [...byRun.keys()];
  createRng(seed ^ 0x7a11).shuffle(runs);
  const picked: number[] = [];
  let count = 0;
  for (const r of runs) {
    if (count >= size) break;
    picked.push(r);
    count += byRun.get(r)!.length;
  }
  return { ...split, train: entriesOf(picked, byRun) };
}
