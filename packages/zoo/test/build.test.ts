import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@metanet/tensor';
import {
  buildZoo,
  exportNpz,
  InvalidZooIndexError,
  mergeZoos,
  readNpz,
  readZoo,
  readZooNet,
  ZooSettingsMismatchError,
  zooStats,
  type NpyArray,
} from '../src/index';

/** Builds in this thread (workers: 0) with wall times off, so whole directories compare byte for byte. */
const BASE = { preset: 'tiny', runs: 4, seed: 3, workers: 0, wallTime: false } as const;

let root: string;
let reference: string;

function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

function expectSameZoo(a: string, b: string): void {
  const x = snapshot(a);
  const y = snapshot(b);
  expect([...y.keys()].sort()).toEqual([...x.keys()].sort());
  for (const [k, v] of x) expect(y.get(k)?.equals(v), k).toBe(true);
}

beforeAll(async () => {
  await initBackend();
  root = mkdtempSync(join(tmpdir(), 'zoo-build-'));
  reference = join(root, 'reference');
  await buildZoo({ ...BASE, out: reference });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('buildZoo', () => {
  it('writes one record per checkpoint, sorted by (run, epoch), each naming a readable bundle', () => {
    const { settings, records } = readZoo(reference);
    expect(settings.preset).toBe('tiny');
    expect(records.map((r) => r.id)).toEqual([0, 1, 2, 3].flatMap((r) => [0, 1, 2].map((e) => `r00000${r}-e00${e}`)));
    expect(records.filter((r) => r.final).map((r) => r.epoch)).toEqual([2, 2, 2, 2]);
    for (const r of records) {
      expect(r.metrics.testAcc).toBeGreaterThanOrEqual(0);
      expect(r.metrics.testAcc).toBeLessThanOrEqual(1);
      expect(r.wallTimeMs).toBe(0);
      const net = readZooNet(reference, r);
      expect(net.params.length).toBe(8);
    }
    // Training moved the weights: a run's epoch-2 net differs from its epoch-0 net.
    const w0 = readZooNet(reference, records[0]!).params[0]!;
    const w2 = readZooNet(reference, records[2]!).params[0]!;
    expect(Array.from(w2)).not.toEqual(Array.from(w0));
  });

  it('rebuilds the same bytes, resumes a finished zoo without training, and repairs a torn last line', async () => {
    const again = join(root, 'again');
    await buildZoo({ ...BASE, out: again });
    expectSameZoo(reference, again);
    const resumed = await buildZoo({ ...BASE, out: again });
    expect(resumed.trained).toBe(0);
    appendFileSync(join(again, 'index.jsonl'), '{"id":"r000004-e0');
    expect(() => readZoo(again)).toThrow(/torn line/);
    const repaired = await buildZoo({ ...BASE, out: again });
    expect(repaired.repaired.tornBytes).toBe(17);
    expectSameZoo(reference, again);
  });

  it('retrains a run whose lines were cut short and ends with the same zoo', async () => {
    const cut = join(root, 'cut');
    await buildZoo({ ...BASE, out: cut });
    const lines = readFileSync(join(cut, 'index.jsonl'), 'utf8').split('\n').filter(Boolean);
    writeFileSync(join(cut, 'index.jsonl'), `${lines.slice(0, 10).join('\n')}\n`);
    const s = await buildZoo({ ...BASE, out: cut });
    expect(s.repaired.droppedLines).toBe(1);
    expect(s.trained).toBe(1);
    expectSameZoo(reference, cut);
  });

  it('builds shards that merge into the zoo one build makes', async () => {
    const shards = [0, 1, 2].map((i) => join(root, `shard${i}`));
    for (const [i, out] of shards.entries()) await buildZoo({ ...BASE, out, shard: { index: i, count: 3 } });
    expect(readZoo(shards[1]!).records.map((r) => r.run)).toEqual([1, 1, 1]);
    const merged = join(root, 'merged');
    mergeZoos(merged, shards);
    expectSameZoo(reference, merged);
  });

  it('refuses a directory built with other settings, and a foreign or corrupt index', async () => {
    await expect(buildZoo({ ...BASE, out: reference, seed: 4 })).rejects.toThrow(ZooSettingsMismatchError);
    await expect(buildZoo({ ...BASE, out: reference, quick: true })).rejects.toThrow(/other settings/);
    const foreign = join(root, 'foreign');
    await buildZoo({ ...BASE, out: foreign, runs: 1 });
    writeFileSync(join(foreign, 'index.jsonl'), '{"name":"not a zoo record"}\n');
    await expect(buildZoo({ ...BASE, out: foreign })).rejects.toThrow(InvalidZooIndexError);
    expect(() => readZoo(foreign)).toThrow(/index.jsonl:1: run is not an integer/);
    rmSync(join(foreign, 'zoo.json'));
    await expect(buildZoo({ ...BASE, out: foreign })).rejects.toThrow(/no zoo.json/);
    expect(() => mergeZoos(join(root, 'm2'), [reference, join(root, 'missing')])).toThrow(InvalidZooIndexError);
  });

  it('exports an .npz whose arrays equal the records and the weights', () => {
    const file = join(root, 'zoo.npz');
    const s = exportNpz(reference, file);
    expect(s.stacked).toBe(true);
    const npz = readNpz(file);
    const { records } = readZoo(reference);
    expect((npz.get('id') as NpyArray).data).toEqual(records.map((r) => r.id));
    expect(Array.from((npz.get('testAcc') as NpyArray).data as Float64Array)).toEqual(records.map((r) => r.metrics.testAcc));
    expect((npz.get('hp/optimizer') as NpyArray).data).toEqual(records.map((r) => r.hparams.optimizer));
    const w = npz.get('w/layers.0.weight') as NpyArray;
    expect(w.shape).toEqual([12, 4, 1, 3, 3]);
    const net5 = readZooNet(reference, records[5]!);
    expect(Array.from((w.data as Float32Array).subarray(5 * 36, 6 * 36))).toEqual(Array.from(net5.params[0]!));
    const finals = exportNpz(reference, join(root, 'final.npz'), { finalOnly: true });
    expect(finals.nets).toBe(4);
  });

  it('summarises sizes and the test-accuracy histogram', () => {
    const s = zooStats(reference);
    expect(s.records).toBe(12);
    expect(s.finalNets).toBe(4);
    expect(s.histogram.reduce((a, b) => a + b, 0)).toBe(4);
    expect(s.bytes).toBeGreaterThan(12 * 4 * 400);
  });
});
