/**
 * Parsing and checking `index.jsonl`. Every line the builder writes ends in '\n' and is appended only after its net's
 * bundle is on disk, so bytes after the last '\n' can only be a torn append from a killed build: the builder cuts them
 * off on resume, while the read-only reader refuses them.
 */
import { InvalidZooIndexError } from './errors';
import type { ZooMetrics, ZooRecord } from './record';
import { NETS_DIR, type ZooSettings } from './settings';

/** The parsed lines of an index plus what a resumed build must repair. */
export interface ParsedIndex {
  readonly records: ZooRecord[];
  /** Bytes after the last '\n' (a torn append), 0 if none. */
  readonly tornBytes: number;
  /** Length of the intact prefix, in bytes. */
  readonly intactBytes: number;
}

/** The record id of a run's checkpoint: `r000123-e020`. */
export function recordId(run: number, epoch: number): string {
  return `r${String(run).padStart(6, '0')}-e${String(epoch).padStart(3, '0')}`;
}

/** The bundle path of a record, relative to the zoo directory. */
export function recordFile(run: number, epoch: number): string {
  return `${NETS_DIR}/${recordId(run, epoch)}`;
}

const METRIC_KEYS: ReadonlyArray<keyof ZooMetrics> = ['trainAcc', 'trainLoss', 'valAcc', 'valLoss', 'testAcc', 'testLoss'];

function checkRecord(v: unknown, settings: ZooSettings): string | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'not a JSON object';
  const r = v as Record<string, unknown>;
  if (!Number.isInteger(r.run) || (r.run as number) < 0) return 'run is not an integer ≥ 0';
  if (!Number.isInteger(r.epoch) || !settings.protocol.checkpoints.includes(r.epoch as number)) return `epoch ${JSON.stringify(r.epoch)} is not a checkpoint of this zoo's protocol`;
  if (r.id !== recordId(r.run as number, r.epoch as number)) return `id ${JSON.stringify(r.id)} does not match run and epoch`;
  if (r.file !== recordFile(r.run as number, r.epoch as number)) return `file ${JSON.stringify(r.file)} does not match the id`;
  if (typeof r.final !== 'boolean' || typeof r.arch !== 'string' || !Number.isInteger(r.seed)) return 'final, arch or seed is missing';
  if (r.diverged !== undefined && r.diverged !== true) return 'diverged must be true or absent';
  if (r.final === true && r.diverged === undefined && r.epoch !== settings.protocol.epochs) return 'final is set before the last checkpoint epoch of a run that did not diverge';
  if (typeof r.wallTimeMs !== 'number' || !(r.wallTimeMs >= 0)) return 'wallTimeMs is missing';
  if (r.hparams === null || typeof r.hparams !== 'object' || Array.isArray(r.hparams)) return 'hparams is missing';
  const m = r.metrics as Record<string, unknown> | null;
  if (m === null || typeof m !== 'object') return 'metrics are missing';
  for (const k of METRIC_KEYS) {
    if (typeof m[k] !== 'number') return `metrics.${k} is missing or not finite`;
  }
  return undefined;
}

/** Parses `index.jsonl` text; throws InvalidZooIndexError naming the first bad line. */
export function parseIndex(text: string, where: string, settings: ZooSettings): ParsedIndex {
  const end = text.lastIndexOf('\n') + 1;
  const body = text.slice(0, end);
  const records: ZooRecord[] = [];
  const lines = body.split('\n');
  lines.pop();
  lines.forEach((line, i) => {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new InvalidZooIndexError(`${where}:${i + 1}: not a JSON line; the file is corrupt or not a metanet zoo index`);
    }
    const problem = checkRecord(v, settings);
    if (problem) throw new InvalidZooIndexError(`${where}:${i + 1}: ${problem}; the file is corrupt or not a metanet zoo index`);
    records.push(v as ZooRecord);
  });
  return { records, tornBytes: Buffer.byteLength(text.slice(end)), intactBytes: Buffer.byteLength(body) };
}

/** Records in (run, epoch) order; throws on a duplicate checkpoint. */
export function sortRecords(records: readonly ZooRecord[], where: string): ZooRecord[] {
  const out = [...records].sort((a, b) => a.run - b.run || a.epoch - b.epoch);
  for (let i = 1; i < out.length; i++) {
    if ((out[i] as ZooRecord).id === (out[i - 1] as ZooRecord).id) {
      throw new InvalidZooIndexError(`${where}: ${(out[i] as ZooRecord).id} is listed twice; the index is corrupt (rebuild it with metanet zoo build)`);
    }
  }
  return out;
}

/** One `index.jsonl` line (with its '\n'). */
export function recordLine(r: ZooRecord): string {
  return `${JSON.stringify(r)}\n`;
}
