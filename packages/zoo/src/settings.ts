/**
 * A zoo's settings (`zoo.json`): everything a record's bytes depend on apart from its run index. Two builds with
 * equal settings produce the same net for the same run, so a resumed build, a shard and a merge may only ever combine
 * zoos whose settings are equal; anything else would mix nets from different protocols in one index.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidZooIndexError, ZooSettingsMismatchError } from './errors';

/** Format tag of `zoo.json`. */
export const ZOO_FORMAT = 'metanet.zoo';
/** Version of the zoo format this package writes and reads. */
export const ZOO_VERSION = 1;
/** The settings file of a zoo directory. */
export const SETTINGS_FILE = 'zoo.json';
/** The record file of a zoo directory: one `ZooRecord` per line. */
export const INDEX_FILE = 'index.jsonl';
/** Folder of the net bundles, one sub-folder per record. */
export const NETS_DIR = 'nets';

/** Where a zoo's images come from and how they are split (fixed per zoo, not per run). */
export interface ZooDataset {
  /** 'fashion-mnist' (IDX files) or 'synthetic' (the built-in shapes, for tests). */
  readonly name: 'fashion-mnist' | 'synthetic';
  /** Image side in pixels (28 for Fashion-MNIST); one channel. */
  readonly imageSize: number;
  readonly classes: number;
  /** Training examples available before the validation slice is taken off (synthetic: generated count). */
  readonly trainSize: number;
  /** The fixed held-out slice of the training split used for val metrics. */
  readonly valSize: number;
  /** Examples of the official test split scored per checkpoint (its first `testSize`). */
  readonly testSize: number;
  /** Inputs are scaled affinely to [lo, hi] (the paper: [-1, 1]). */
  readonly inputRange: readonly [number, number];
}

/** How every run of the zoo trains (hyperparameters that vary per run live in the records). */
export interface ZooProtocol {
  readonly epochs: number;
  /** Epochs at which a checkpoint is stored, ascending, from 0 (at init) to `epochs`. */
  readonly checkpoints: readonly number[];
  readonly batchSize: number;
  /** Train metrics are measured on at most this many examples of the run's training subset. */
  readonly trainEvalSize: number;
}

/** Everything that must match for a build to resume, a shard to merge, or a reader to trust a zoo. */
export interface ZooSettings {
  readonly format: typeof ZOO_FORMAT;
  readonly version: number;
  /** Preset name, e.g. `small-cnn`. */
  readonly preset: string;
  /** The preset's sampler revision (`ZooPreset.revision`); absent for presets that never changed their sampler. */
  readonly presetRevision?: number;
  /** The zoo seed; run r's seed is derived from (seed, r). */
  readonly seed: number;
  readonly dataset: ZooDataset;
  readonly protocol: ZooProtocol;
  /** The preset's `--quick` variant (a smaller protocol and run count). */
  readonly quick: boolean;
  /** false: every `wallTimeMs` is 0, so two builds agree byte for byte in `index.jsonl` as well as in the weights. */
  readonly wallTime: boolean;
}

/** A canonical JSON text (sorted keys), so equal settings are equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The first field where two settings differ, as `field: a ≠ b`, or undefined when they are equal. */
export function settingsDifference(a: ZooSettings, b: ZooSettings): string | undefined {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) {
    const x = canonicalJson((a as unknown as Record<string, unknown>)[k]);
    const y = canonicalJson((b as unknown as Record<string, unknown>)[k]);
    if (x !== y) return `${k}: ${x ?? 'absent'} ≠ ${y ?? 'absent'}`;
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Validates parsed `zoo.json` content; `where` names the file in the error. */
export function parseSettings(raw: unknown, where: string): ZooSettings {
  const bad = (what: string): never => {
    throw new InvalidZooIndexError(`${where}: ${what}; it is not a metanet zoo (build one with metanet zoo build)`);
  };
  if (!isObject(raw)) return bad('not a JSON object');
  if (raw.format !== ZOO_FORMAT) return bad(`format is ${JSON.stringify(raw.format)}, expected "${ZOO_FORMAT}"`);
  if (raw.version !== ZOO_VERSION) return bad(`version ${JSON.stringify(raw.version)} is not supported (this reader knows ${ZOO_VERSION})`);
  if (typeof raw.preset !== 'string' || !Number.isInteger(raw.seed) || typeof raw.wallTime !== 'boolean' || typeof raw.quick !== 'boolean') return bad('preset, seed or wallTime is missing');
  if (raw.presetRevision !== undefined && !(Number.isInteger(raw.presetRevision) && (raw.presetRevision as number) > 0)) return bad('presetRevision is not a positive integer');
  const d = raw.dataset;
  if (!isObject(d) || (d.name !== 'fashion-mnist' && d.name !== 'synthetic') || ![d.imageSize, d.classes, d.trainSize, d.valSize, d.testSize].every((n) => Number.isInteger(n) && (n as number) > 0)) {
    return bad('dataset is missing or malformed');
  }
  const p = raw.protocol;
  if (!isObject(p) || !Number.isInteger(p.epochs) || !Number.isInteger(p.batchSize) || !Number.isInteger(p.trainEvalSize) || !Array.isArray(p.checkpoints)) {
    return bad('protocol is missing or malformed');
  }
  return raw as unknown as ZooSettings;
}

/** Reads `zoo.json` of `dir`, or undefined when the directory has none. */
export function readSettingsFile(dir: string): ZooSettings | undefined {
  const path = join(dir, SETTINGS_FILE);
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new InvalidZooIndexError(`${path}: not valid JSON; it is not a metanet zoo (build one with metanet zoo build)`);
  }
  return parseSettings(raw, path);
}

/** Throws unless `found` equals `wanted`; `dir` and `hint` go into the message. */
export function assertSameSettings(dir: string, found: ZooSettings, wanted: ZooSettings, hint: string): void {
  const diff = settingsDifference(found, wanted);
  if (diff !== undefined) {
    throw new ZooSettingsMismatchError(`${dir} holds a zoo built with other settings (${diff}); ${hint}`);
  }
}
