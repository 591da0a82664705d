/**
 * The writable side of a zoo directory: claim it for a set of settings, repair what a killed build left, write a
 * finished run, and finalise the index. Order of writes per run: every bundle (atomic directory rename), then the
 * run's lines in one append, fsynced. So a line never names a missing bundle, and a kill at any point leaves at most
 * temp directories (swept), bundles without lines (rewritten by the rerun, same bytes), or a torn last line (cut).
 */
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { saveNet } from '@metanet/nets';
import { sweepTempFiles, writeDirAtomic, writeFileAtomic } from '@metanet/data/atomic';
import { InvalidZooIndexError } from './errors';
import { parseIndex, recordFile, recordId, recordLine, sortRecords } from './index-file';
import type { ZooRecord } from './record';
import type { RunResult } from './run';
import { assertSameSettings, INDEX_FILE, NETS_DIR, readSettingsFile, SETTINGS_FILE, type ZooSettings } from './settings';

/** What a zoo directory holds after `openZooDir`: its intact records and the runs they complete. */
export interface ZooDirState {
  readonly records: ZooRecord[];
  /** Runs with every checkpoint (up to a final one) in the index. */
  readonly complete: Set<number>;
  /** Bytes cut from a torn last line, and lines of incomplete runs dropped. */
  readonly repaired: { readonly tornBytes: number; readonly droppedLines: number };
}

/** Runs whose records reach a final one with every protocol checkpoint before it. */
export function completeRuns(records: readonly ZooRecord[], settings: ZooSettings): Set<number> {
  const byRun = new Map<number, ZooRecord[]>();
  for (const r of records) byRun.set(r.run, [...(byRun.get(r.run) ?? []), r]);
  const done = new Set<number>();
  for (const [run, rs] of byRun) {
    const fin = rs.find((r) => r.final);
    if (!fin) continue;
    const want = settings.protocol.checkpoints.filter((e) => e <= fin.epoch);
    if (want.every((e) => rs.some((r) => r.epoch === e))) done.add(run);
  }
  return done;
}

function syncAppend(path: string, text: string): void {
  appendFileSync(path, text);
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens `dir` for building with `settings`: creates it, or checks that its zoo.json has exactly these settings
 * (ZooSettingsMismatchError otherwise, nothing touched), sweeps temp files, cuts a torn last line and drops the
 * lines of runs a kill left incomplete.
 */
export function openZooDir(dir: string, settings: ZooSettings, hint: string): ZooDirState {
  const found = readSettingsFile(dir);
  const indexPath = join(dir, INDEX_FILE);
  if (found) assertSameSettings(dir, found, settings, hint);
  else if (existsSync(indexPath)) throw new InvalidZooIndexError(`${indexPath} has no zoo.json beside it; it is not a metanet zoo (use an empty --out directory)`);
  else if (existsSync(dir) && readdirSync(dir).length > 0) throw new InvalidZooIndexError(`${dir} is not empty and not a metanet zoo; use an empty or new --out directory`);
  mkdirSync(join(dir, NETS_DIR), { recursive: true });
  sweepTempFiles(dir);
  sweepTempFiles(join(dir, NETS_DIR));
  if (!found) writeFileAtomic(join(dir, SETTINGS_FILE), `${JSON.stringify(settings, null, 2)}\n`);
  const text = existsSync(indexPath) ? readFileSync(indexPath, 'utf8') : '';
  const parsed = parseIndex(text, indexPath, settings);
  if (parsed.tornBytes > 0) truncateSync(indexPath, parsed.intactBytes);
  const complete = completeRuns(parsed.records, settings);
  const records = parsed.records.filter((r) => complete.has(r.run));
  sortRecords(records, indexPath);
  const dropped = parsed.records.length - records.length;
  if (dropped > 0) writeFileAtomic(indexPath, records.map(recordLine).join(''));
  return { records, complete, repaired: { tornBytes: parsed.tornBytes, droppedLines: dropped } };
}

/** The records of a finished run (one per stored checkpoint). */
export function runRecords(result: RunResult): ZooRecord[] {
  const last = result.checkpoints.length - 1;
  return result.checkpoints.map((c, k) => ({
    id: recordId(result.run, c.epoch),
    run: result.run,
    epoch: c.epoch,
    final: k === last,
    ...(result.diverged && k === last ? { diverged: true as const } : {}),
    arch: result.arch,
    hparams: result.hparams,
    metrics: c.metrics,
    seed: result.seed,
    wallTimeMs: c.wallTimeMs,
    file: recordFile(result.run, c.epoch),
  }));
}

/** Writes a run's bundles, then appends its lines; returns its records. */
export function writeRun(dir: string, result: RunResult): ZooRecord[] {
  const records = runRecords(result);
  result.checkpoints.forEach((c, k) => {
    const r = records[k] as ZooRecord;
    writeDirAtomic(join(dir, r.file), (tmp) => {
      saveNet(tmp, { spec: result.spec, params: c.params, buffers: c.buffers, meta: { zoo: r.id, run: r.run, epoch: r.epoch } });
    });
  });
  if (records.length > 0) syncAppend(join(dir, INDEX_FILE), records.map(recordLine).join(''));
  return records;
}

/** Rewrites the index in (run, epoch) order, atomically: a finished zoo's bytes do not depend on finishing order. */
export function finaliseIndex(dir: string, records: readonly ZooRecord[]): ZooRecord[] {
  const sorted = sortRecords(records, join(dir, INDEX_FILE));
  writeFileAtomic(join(dir, INDEX_FILE), sorted.map(recordLine).join(''));
  return sorted;
}
