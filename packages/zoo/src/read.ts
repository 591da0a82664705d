/** Reading a finished (or partly built) zoo, read-only: nothing is repaired, anything wrong is an error. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNet, type NetArrays } from '@metanet/nets';
import { InvalidZooIndexError } from './errors';
import { parseIndex, sortRecords } from './index-file';
import type { ZooRecord } from './record';
import { INDEX_FILE, readSettingsFile, type ZooSettings } from './settings';

/** A zoo's settings and its records, in (run, epoch) order. */
export interface Zoo {
  readonly settings: ZooSettings;
  readonly records: ZooRecord[];
}

/**
 * Reads and validates `dir/zoo.json` and `dir/index.jsonl`. Throws InvalidZooIndexError when either is missing,
 * malformed or foreign, and when the index ends in a torn line (rerun `metanet zoo build` on it to repair).
 */
export function readZoo(dir: string): Zoo {
  const settings = readSettingsFile(dir);
  if (!settings) throw new InvalidZooIndexError(`${dir} has no zoo.json; it is not a metanet zoo (build one with metanet zoo build --out ${dir})`);
  const path = join(dir, INDEX_FILE);
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const parsed = parseIndex(text, path, settings);
  if (parsed.tornBytes > 0) {
    throw new InvalidZooIndexError(`${path} ends in a torn line (a build was killed); rerun the same metanet zoo build command to repair and finish it`);
  }
  return { settings, records: sortRecords(parsed.records, path) };
}

/** The net of one record, as host arrays (@metanet/nets `readNet`, validated). */
export function readZooNet(dir: string, record: ZooRecord): NetArrays {
  return readNet(join(dir, record.file));
}
