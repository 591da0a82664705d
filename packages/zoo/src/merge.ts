/**
 * Merging shards: zoos built with equal settings on disjoint run slices combine into the zoo one build would have
 * made (same records, same bundles, same sorted index). Resumable like a build: bundles are copied atomically and the
 * index is written once, at the end.
 */
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeDirAtomic } from '@metanet/data/atomic';
import { InvalidZooIndexError, InvalidZooOptionsError } from './errors';
import { recordLine } from './index-file';
import { readZoo } from './read';
import type { ZooRecord } from './record';
import { assertSameSettings } from './settings';
import { finaliseIndex, openZooDir } from './zoo-dir';

/** What `mergeZoos` did. */
export interface MergeSummary {
  readonly inputs: number;
  readonly records: number;
  readonly copied: number;
}

/** Merges the zoos in `dirs` into `out` (new, or a zoo with the same settings). */
export function mergeZoos(out: string, dirs: readonly string[]): MergeSummary {
  if (dirs.length === 0) throw new InvalidZooOptionsError('give at least one zoo directory to merge');
  const zoos = dirs.map((d) => ({ dir: d, ...readZoo(d) }));
  const first = zoos[0] as (typeof zoos)[number];
  for (const z of zoos.slice(1)) assertSameSettings(z.dir, z.settings, first.settings, `only shards of one build (same preset, seed and --quick) merge; ${first.dir} differs`);
  const state = openZooDir(out, first.settings, 'merge into a new directory or the merged zoo of the same build');
  const byId = new Map<string, ZooRecord>(state.records.map((r) => [r.id, r]));
  let copied = 0;
  for (const z of zoos) {
    for (const r of z.records) {
      const seen = byId.get(r.id);
      if (seen) {
        if (recordLine(seen) !== recordLine(r)) throw new InvalidZooIndexError(`${z.dir}: ${r.id} differs from the copy already merged; the inputs are not shards of one build`);
        continue;
      }
      const dest = join(out, r.file);
      if (!existsSync(join(dest, 'manifest.json'))) {
        writeDirAtomic(dest, (tmp) => cpSync(join(z.dir, r.file), tmp, { recursive: true }));
        copied++;
      }
      byId.set(r.id, r);
    }
  }
  const records = finaliseIndex(out, [...byId.values()]);
  return { inputs: dirs.length, records: records.length, copied };
}
