import type { NetArrays } from '@metanet/nets';
import { describe, expect, it } from 'vitest';
import { EmptySplitError, InvalidPredictionInputError, splitByPredicate, splitZoo, subsampleTrain, type ZooEntry } from '../../src/predict/index';

const net = { spec: { version: 1, name: 'x', input: [1], layers: [] }, params: [], buffers: [], meta: {} } as unknown as NetArrays;

/** `runs` runs of `perRun` checkpoints each; the last is final. Width alternates 8 / 32. */
function zoo(runs: number, perRun: number): ZooEntry[] {
  const out: ZooEntry[] = [];
  for (let r = 0; r < runs; r++) {
    for (let c = 0; c < perRun; c++) {
      const metrics = { trainAcc: 0, trainLoss: 0, valAcc: 0, valLoss: 0, testAcc: r / runs, testLoss: 0 };
      const record = { id: `r${r}-e${c}`, run: r, epoch: c, final: c === perRun - 1, arch: 'a', hparams: { width: r % 2 ? 32 : 8 }, metrics, seed: r, wallTimeMs: 0, file: '' };
      out.push({ record, net });
    }
  }
  return out;
}

const runsOf = (es: readonly ZooEntry[]): Set<number> => new Set(es.map((e) => e.record.run));
const ids = (es: readonly ZooEntry[]): string[] => es.map((e) => e.record.id);

describe('splitZoo', () => {
  it('keeps final checkpoints and cuts 50 % test, then 80/20 train/val, as the NFN code', () => {
    const s = splitZoo(zoo(100, 3), { seed: 1 });
    expect([s.train.length, s.val.length, s.test.length]).toEqual([40, 10, 50]);
    for (const e of [...s.train, ...s.val, ...s.test]) expect(e.record.final).toBe(true);
  });

  it('never puts one run in two splits, with every checkpoint kept', () => {
    const s = splitZoo(zoo(41, 4), { seed: 3, finalOnly: false });
    const [a, b, c] = [runsOf(s.train), runsOf(s.val), runsOf(s.test)];
    for (const r of a) expect(b.has(r) || c.has(r)).toBe(false);
    for (const r of b) expect(c.has(r)).toBe(false);
    expect(s.train.length + s.val.length + s.test.length).toBe(41 * 4);
    for (const split of [s.train, s.val, s.test]) expect(split.length % 4).toBe(0);
  });

  it('trains on every checkpoint of the training runs with trainAllCheckpoints, val and test unchanged', () => {
    const entries = zoo(50, 4);
    const base = splitZoo(entries, { seed: 2 });
    const all = splitZoo(entries, { seed: 2, trainAllCheckpoints: true });
    expect(ids(all.val)).toEqual(ids(base.val));
    expect(ids(all.test)).toEqual(ids(base.test));
    expect(runsOf(all.train)).toEqual(runsOf(base.train));
    expect(all.train.length).toBe(4 * base.train.length);
    expect(all.train.filter((e) => !e.record.final).length).toBe(3 * base.train.length);
  });

  it('is deterministic from the seed, whatever the order of the entries, and differs across seeds', () => {
    const entries = zoo(30, 2);
    const a = splitZoo(entries, { seed: 5, finalOnly: false });
    const b = splitZoo([...entries].reverse(), { seed: 5, finalOnly: false });
    expect(ids(b.test)).toEqual(ids(a.test));
    expect(ids(b.train)).toEqual(ids(a.train));
    expect(ids(splitZoo(entries, { seed: 6 }).test)).not.toEqual(ids(splitZoo(entries, { seed: 5 }).test));
  });

  it('refuses a zoo too small for three non-empty splits, and bad fractions', () => {
    expect(() => splitZoo(zoo(2, 1))).toThrow(EmptySplitError);
    expect(() => splitZoo(zoo(10, 1), { testFraction: 1 })).toThrow(InvalidPredictionInputError);
  });
});

describe('splitByPredicate', () => {
  it('trains on the accepted runs and tests on the rest', () => {
    const s = splitByPredicate(zoo(40, 2), (e) => e.record.hparams.width === 8, { seed: 0 });
    for (const e of [...s.train, ...s.val]) expect(e.record.hparams.width).toBe(8);
    for (const e of s.test) expect(e.record.hparams.width).toBe(32);
    expect([s.train.length, s.val.length, s.test.length]).toEqual([16, 4, 20]);
  });
});

describe('subsampleTrain', () => {
  it('keeps the first runs of the train split and leaves val and test alone', () => {
    const s = splitZoo(zoo(100, 1));
    const small = subsampleTrain(s, 10);
    expect(small.train).toHaveLength(10);
    for (const e of small.train) expect(s.train).toContain(e);
    expect(small.test).toBe(s.test);
    expect(ids(subsampleTrain(s, 10).train)).toEqual(ids(small.train));
    expect(() => subsampleTrain(s, 0)).toThrow(InvalidPredictionInputError);
  });
});
