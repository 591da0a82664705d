/**
 * The on-disk tensor bundle, the one save format of metanet: saved nets,
 * training checkpoints and saved GMNs (mpnn) are all `manifest.json`
 * (format, version, the description under its own key, tensor table, meta) +
 * `weights.bin` (little-endian float32, tensors back to back). A `BundleKind`
 * says which: format tag, version and the key of the description (`spec` for
 * a net, `config` for a GMN). The manifest is written last and records the
 * weights' length and sha256, so a manifest never silently pairs with weights
 * from another write.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_ELEMENTS, sizeOf } from '@metanet/spec';
import { writeFileAtomic } from '@metanet/data';
import { InvalidNetFileError, InvalidWeightsError } from '../errors';

/** The `format` tag of a saved net's manifest. */
export const NET_FORMAT = 'metanet.net';
/** The version of the saved-net format this code reads and writes. */
export const NET_VERSION = 1;
/** The manifest's file name in a bundle directory. */
export const MANIFEST_FILE = 'manifest.json';
/** The weights' file name in a bundle directory. */
export const WEIGHTS_FILE = 'weights.bin';
/** A manifest larger than this is not a manifest (the spec and table are small). */
export const MAX_MANIFEST_BYTES = 64 << 20;

/** One row of a bundle's tensor table: where a tensor's bytes sit in weights.bin. */
export interface TensorEntry {
  name: string;
  dtype: 'float32';
  shape: number[];
  /** Byte offset into weights.bin. */
  offset: number;
  /** Byte length (= 4 × elements). */
  length: number;
}

/** What tells one kind of bundle from another. */
export interface BundleKind {
  format: string;
  version: number;
  /** Manifest key of the JSON description: 'spec' for a net, 'config' for a GMN. */
  body: string;
  /** Names the kind in messages ("not a metanet net"). */
  what: string;
  /** The function that writes this kind, named in hints. */
  saver: string;
  /** A manifest larger than this is refused before it is parsed. */
  maxManifestBytes: number;
}

/** The bundle kind of a saved net. */
export const NET_BUNDLE: BundleKind = { format: NET_FORMAT, version: NET_VERSION, body: 'spec', what: 'net', saver: 'saveNet', maxManifestBytes: MAX_MANIFEST_BYTES };

/** A bundle's manifest; the description sits under `kind.body`. */
export interface BundleManifest {
  format: string;
  version: number;
  tensors: TensorEntry[];
  weights: { file: string; byteLength: number; sha256: string };
  meta: Record<string, unknown>;
  [body: string]: unknown;
}

/** A saved net's manifest. */
export type Manifest = BundleManifest & { format: typeof NET_FORMAT; version: typeof NET_VERSION; spec: unknown };

/** A named tensor on the host: name, shape and values. */
export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

const fail = (dir: string, msg: string): never => {
  throw new InvalidNetFileError(`${dir}: ${msg}`);
};

/** Serialises tensors into weights.bin bytes (little-endian on every host). */
export function encodeWeights(tensors: readonly NamedArray[]): { bytes: Uint8Array; table: TensorEntry[] } {
  const total = tensors.reduce((n, t) => n + t.data.length, 0);
  const bytes = new Uint8Array(total * 4);
  const view = new DataView(bytes.buffer);
  const table: TensorEntry[] = [];
  let offset = 0;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++) view.setFloat32(offset + 4 * i, t.data[i] as number, true);
    table.push({ name: t.name, dtype: 'float32', shape: [...t.shape], offset, length: t.data.length * 4 });
    offset += t.data.length * 4;
  }
  return { bytes, table };
}

/** Writes weights.bin then manifest.json, each atomically; `body` is stored under `kind.body`. */
export function writeBundle(dir: string, body: unknown, tensors: readonly NamedArray[], meta: Record<string, unknown>, kind: BundleKind = NET_BUNDLE): BundleManifest {
  const seen = new Set<string>();
  for (const t of tensors) {
    if (seen.has(t.name)) throw new InvalidWeightsError(`tensor name ${t.name} appears twice; names must be unique`);
    seen.add(t.name);
    if (t.data.length !== sizeOf(t.shape)) {
      throw new InvalidWeightsError(`tensor ${t.name} holds ${t.data.length} values but shape [${t.shape.join(', ')}] needs ${sizeOf(t.shape)}`);
    }
    const bad = t.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new InvalidWeightsError(`tensor ${t.name} has a non-finite value (${t.data[bad]}) at index ${bad}; refusing to save it`);
  }
  mkdirSync(dir, { recursive: true });
  const { bytes, table } = encodeWeights(tensors);
  const manifest: BundleManifest = {
    format: kind.format,
    version: kind.version,
    [kind.body]: body,
    tensors: table,
    weights: { file: WEIGHTS_FILE, byteLength: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') },
    meta,
  };
  writeFileAtomic(join(dir, WEIGHTS_FILE), bytes);
  writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function regularFile(dir: string, path: string, what: string, kind: BundleKind): number {
  if (!existsSync(path)) fail(dir, `${what} is missing; save the ${kind.what} again with ${kind.saver} or point to the right directory`);
  const st = statSync(path);
  if (!st.isFile()) fail(dir, `${what} is not a regular file`);
  return st.size;
}

function checkEntry(dir: string, raw: unknown, k: number, fileBytes: number): TensorEntry {
  if (!isObj(raw)) return fail(dir, `tensors[${k}] must be an object`);
  const { name, dtype, shape, offset, length } = raw;
  if (typeof name !== 'string' || name.length === 0 || name.length > 512) return fail(dir, `tensors[${k}].name must be a non-empty string`);
  if (dtype !== 'float32') return fail(dir, `tensor ${name} has dtype ${JSON.stringify(dtype)}; only float32 is supported`);
  if (!Array.isArray(shape) || shape.length > 8) return fail(dir, `tensor ${name} shape must be an array of at most 8 dims`);
  let elements = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > MAX_ELEMENTS) return fail(dir, `tensor ${name} has a bad dimension ${JSON.stringify(d)}`);
    elements *= d;
    if (elements > MAX_ELEMENTS) return fail(dir, `tensor ${name} shape [${shape.join(', ')}] has more than ${MAX_ELEMENTS} elements`);
  }
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0 || offset % 4 !== 0) return fail(dir, `tensor ${name} offset ${JSON.stringify(offset)} must be a non-negative multiple of 4`);
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length !== elements * 4) return fail(dir, `tensor ${name} length ${JSON.stringify(length)} does not match its shape (${elements * 4} bytes)`);
  if (offset + length > fileBytes) return fail(dir, `tensor ${name} spans bytes ${offset}..${offset + length} but ${WEIGHTS_FILE} has ${fileBytes}; the file is truncated or the table is wrong`);
  return { name, dtype, shape: shape as number[], offset, length };
}

/** A bundle read from disk: its manifest, description and tensors. */
export interface ReadBundle {
  manifest: BundleManifest;
  tensors: Map<string, NamedArray>;
}

/**
 * Reads and validates a bundle's manifest: format and version of `kind`,
 * the weights descriptor, and every table entry against the real size of
 * weights.bin (nothing of the weights is read yet), so a caller can check the
 * table against its own description before `readBundleTensors` allocates.
 */
export function readBundleManifest(dir: string, kind: BundleKind = NET_BUNDLE): BundleManifest {
  if (!existsSync(dir)) fail(dir, `no such directory: the saved ${kind.what} is missing; pass the directory ${kind.saver} wrote`);
  if (!statSync(dir).isDirectory()) fail(dir, `is not a directory; pass the directory holding ${MANIFEST_FILE} and ${WEIGHTS_FILE}`);
  const mPath = join(dir, MANIFEST_FILE);
  const mBytes = regularFile(dir, mPath, MANIFEST_FILE, kind);
  if (mBytes > kind.maxManifestBytes) fail(dir, `${MANIFEST_FILE} is ${mBytes} bytes, more than ${kind.maxManifestBytes}; not a metanet manifest`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(mPath, 'utf8'));
  } catch (e) {
    fail(dir, `${MANIFEST_FILE} is not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (!isObj(raw)) return fail(dir, `${MANIFEST_FILE} must hold a JSON object`);
  if (raw.format !== kind.format) fail(dir, `format is ${JSON.stringify(raw.format)?.slice(0, 40)}, expected "${kind.format}"; not a metanet ${kind.what}`);
  if (raw.version !== kind.version) fail(dir, `format version ${JSON.stringify(raw.version)?.slice(0, 40)} is not supported; this build reads version ${kind.version}`);
  if (!Array.isArray(raw.tensors)) fail(dir, 'manifest "tensors" must be an array');
  const w = raw.weights;
  if (!isObj(w) || w.file !== WEIGHTS_FILE || typeof w.byteLength !== 'number' || (w.sha256 !== undefined && (typeof w.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(w.sha256)))) {
    fail(dir, `manifest "weights" must be {file: "${WEIGHTS_FILE}", byteLength, sha256 (64 hex digits)}`);
  }
  if (raw.meta !== undefined && !isObj(raw.meta)) fail(dir, 'manifest "meta" must be an object');
  const weights = w as { byteLength: number; sha256?: string };
  const fileBytes = regularFile(dir, join(dir, WEIGHTS_FILE), WEIGHTS_FILE, kind);
  if (fileBytes !== weights.byteLength) fail(dir, `${WEIGHTS_FILE} has ${fileBytes} bytes but the manifest expects ${weights.byteLength}; the file is truncated or from another save`);
  const table = (raw.tensors as unknown[]).map((e, k) => checkEntry(dir, e, k, fileBytes));
  const names = new Set<string>();
  for (const e of table) {
    if (names.has(e.name)) fail(dir, `tensor name ${e.name} appears twice in the table`);
    names.add(e.name);
  }
  const sorted = [...table].sort((a, b) => a.offset - b.offset);
  sorted.forEach((e, k) => {
    const next = sorted[k + 1];
    if (next && e.offset + e.length > next.offset) fail(dir, `tensors ${e.name} and ${next.name} overlap in ${WEIGHTS_FILE}`);
  });
  return { ...(raw as BundleManifest), tensors: table, meta: (raw.meta as Record<string, unknown> | undefined) ?? {} };
}

/** Reads weights.bin for a manifest from `readBundleManifest`: checksum, then finite values, by table entry. */
export function readBundleTensors(dir: string, manifest: BundleManifest): Map<string, NamedArray> {
  const bytes = readFileSync(join(dir, WEIGHTS_FILE));
  if (bytes.byteLength !== manifest.weights.byteLength) fail(dir, `${WEIGHTS_FILE} changed while being read`);
  const sha256 = manifest.weights.sha256 as string | undefined;
  if (sha256 !== undefined && createHash('sha256').update(bytes).digest('hex') !== sha256) {
    fail(dir, `${WEIGHTS_FILE} does not match the sha256 checksum in the manifest (a torn or mixed write); the weights are corrupt or from another save`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tensors = new Map<string, NamedArray>();
  for (const e of manifest.tensors) {
    const data = new Float32Array(e.length / 4);
    for (let i = 0; i < data.length; i++) {
      const v = view.getFloat32(e.offset + 4 * i, true);
      if (!Number.isFinite(v)) throw new InvalidWeightsError(`${dir}: tensor ${e.name} has a non-finite value (${v}) at index ${i}; the weights are corrupt`);
      data[i] = v;
    }
    tensors.set(e.name, { name: e.name, shape: e.shape, data });
  }
  return tensors;
}

/**
 * Reads and validates a bundle. Every size is checked against the real file
 * sizes before anything is allocated, so a lying header cannot cause an OOM.
 */
export function readBundle(dir: string, kind: BundleKind = NET_BUNDLE): ReadBundle {
  const manifest = readBundleManifest(dir, kind);
  return { manifest, tensors: readBundleTensors(dir, manifest) };
}
