/** Summary figures of a zoo: sizes, the final nets' test-accuracy distribution, build time. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readZoo } from './read';
import type { ZooSettings } from './settings';

/** What `zooStats` reports. */
export interface ZooStats {
  readonly settings: ZooSettings;
  readonly records: number;
  readonly runs: number;
  readonly finalNets: number;
  readonly diverged: number;
  readonly byArch: Record<string, number>;
  /** Bytes of every bundle file. */
  readonly bytes: number;
  /** Test accuracy of the final nets: min, median, mean, max. */
  readonly testAcc: { readonly min: number; readonly median: number; readonly mean: number; readonly max: number };
  /** Final nets per test-accuracy tenth: bins[k] counts accuracies in [k/10, (k+1)/10) (1.0 in the last). */
  readonly histogram: number[];
  /** Sum over runs of the final record's wall time (worker time, not elapsed time when parallel). */
  readonly runTimeMs: number;
}

function dirBytes(path: string): number {
  let total = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) total += e.isDirectory() ? dirBytes(join(path, e.name)) : statSync(join(path, e.name)).size;
  return total;
}

/** Reads the zoo in `dir` and summarises it. */
export function zooStats(dir: string): ZooStats {
  const { settings, records } = readZoo(dir);
  const finals = records.filter((r) => r.final);
  const acc = finals.map((r) => r.metrics.testAcc).sort((a, b) => a - b);
  const histogram = new Array<number>(10).fill(0);
  for (const a of acc) histogram[Math.min(9, Math.floor(a * 10))]! += 1;
  const byArch: Record<string, number> = {};
  for (const r of finals) byArch[r.arch] = (byArch[r.arch] ?? 0) + 1;
  const mid = acc.length === 0 ? NaN : acc.length % 2 ? (acc[(acc.length - 1) / 2] as number) : ((acc[acc.length / 2 - 1] as number) + (acc[acc.length / 2] as number)) / 2;
  return {
    settings,
    records: records.length,
    runs: new Set(records.map((r) => r.run)).size,
    finalNets: finals.length,
    diverged: finals.filter((r) => r.diverged).length,
    byArch,
    bytes: dirBytes(join(dir, 'nets')),
    testAcc: { min: acc[0] ?? NaN, median: mid, mean: acc.reduce((a, b) => a + b, 0) / (acc.length || NaN), max: acc.at(-1) ?? NaN },
    histogram,
    runTimeMs: finals.reduce((a, r) => a + r.wallTimeMs, 0),
  };
}

/** The histogram as text rows, one per tenth, bars scaled to `width` characters. */
export function histogramText(histogram: readonly number[], width = 40): string {
  const top = Math.max(1, ...histogram);
  return histogram
    .map((c, k) => `${(k / 10).toFixed(1)}–${((k + 1) / 10).toFixed(1)} ${'█'.repeat(Math.round((c / top) * width)).padEnd(width)} ${c}`)
    .join('\n');
}
