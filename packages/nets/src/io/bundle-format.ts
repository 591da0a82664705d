/**
 * The bundle format without the file system: the manifest's validation, the
 * weights' decoding, and `readBundleBytes`, which reads a bundle from its two
 * files' contents (fetched bytes in a browser). bundle.ts reads and writes
 * directories through these same checks, so a bundle is judged the same way
 * from disk and from bytes.
 */
import { MAX_ELEMENTS } from '@metanet/spec';
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

/** A bundle read from disk or bytes: its manifest, description and tensors. */
export interface ReadBundle {
  manifest: BundleManifest;
  tensors: Map<string, NamedArray>;
}

/** The message when weights.bin does not hash to the manifest's sha256. */
export const checksumMismatch = `${WEIGHTS_FILE} does not match the sha256 checksum in the manifest (a torn or mixed write); the weights are corrupt or from another save`;

const fail = (where: string, msg: string): never => {
  throw new InvalidNetFileError(`${where}: ${msg}`);
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

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
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

/**
 * Validates a manifest's text against `kind` and the real size of weights.bin
 * (`weightsBytes`, a number or a function called only once the manifest's own
 * fields are valid). `where` prefixes every message (a directory, a URL).
 */
export function parseBundleManifest(text: string, weightsBytes: number | (() => number), kind: BundleKind, where: string): BundleManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail(where, `${MANIFEST_FILE} is not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (!isObj(raw)) return fail(where, `${MANIFEST_FILE} must hold a JSON object`);
  if (raw.format !== kind.format) fail(where, `format is ${JSON.stringify(raw.format)?.slice(0, 40)}, expected "${kind.format}"; not a metanet ${kind.what}`);
  if (raw.version !== kind.version) fail(where, `format version ${JSON.stringify(raw.version)?.slice(0, 40)} is not supported; this build reads version ${kind.version}`);
  if (!Array.isArray(raw.tensors)) fail(where, 'manifest "tensors" must be an array');
  const w = raw.weights;
  if (!isObj(w) || w.file !== WEIGHTS_FILE || typeof w.byteLength !== 'number' || (w.sha256 !== undefined && (typeof w.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(w.sha256)))) {
    fail(where, `manifest "weights" must be {file: "${WEIGHTS_FILE}", byteLength, sha256 (64 hex digits)}`);
  }
  if (raw.meta !== undefined && !isObj(raw.meta)) fail(where, 'manifest "meta" must be an object');
  const weights = w as { byteLength: number; sha256?: string };
  const fileBytes = typeof weightsBytes === 'number' ? weightsBytes : weightsBytes();
  if (fileBytes !== weights.byteLength) fail(where, `${WEIGHTS_FILE} has ${fileBytes} bytes but the manifest expects ${weights.byteLength}; the file is truncated or from another save`);
  const table = (raw.tensors as unknown[]).map((e, k) => checkEntry(where, e, k, fileBytes));
  const names = new Set<string>();
  for (const e of table) {
    if (names.has(e.name)) fail(where, `tensor name ${e.name} appears twice in the table`);
    names.add(e.name);
  }
  const sorted = [...table].sort((a, b) => a.offset - b.offset);
  sorted.forEach((e, k) => {
    const next = sorted[k + 1];
    if (next && e.offset + e.length > next.offset) fail(where, `tensors ${e.name} and ${next.name} overlap in ${WEIGHTS_FILE}`);
  });
  return { ...(raw as BundleManifest), tensors: table, meta: (raw.meta as Record<string, unknown> | undefined) ?? {} };
}

/** Decodes weights.bin's bytes by the manifest's table, refusing non-finite values (the checksum is the caller's). */
export function decodeBundleTensors(bytes: Uint8Array, manifest: BundleManifest, where: string): Map<string, NamedArray> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tensors = new Map<string, NamedArray>();
  for (const e of manifest.tensors) {
    const data = new Float32Array(e.length / 4);
    for (let i = 0; i < data.length; i++) {
      const v = view.getFloat32(e.offset + 4 * i, true);
      if (!Number.isFinite(v)) throw new InvalidWeightsError(`${where}: tensor ${e.name} has a non-finite value (${v}) at index ${i}; the weights are corrupt`);
      data[i] = v;
    }
    tensors.set(e.name, { name: e.name, shape: e.shape, data });
  }
  return tensors;
}

/**
 * Reads a bundle from its files' contents: the manifest's text and weights.bin's
 * bytes, e.g. fetched by a page. Same checks as `readBundle` (format, version,
 * table, sizes, sha256, finite values) and the same errors, prefixed by `where`.
 * Async because the checksum goes through Web Crypto (crypto.subtle, in browsers
 * and Node alike), which has no synchronous digest; a page served over plain HTTP
 * has no crypto.subtle, and is refused with a message saying so.
 */
export async function readBundleBytes(manifestText: string, weights: ArrayBuffer | Uint8Array, kind: BundleKind = NET_BUNDLE, where = 'the bundle'): Promise<ReadBundle> {
  const bytes = weights instanceof Uint8Array ? weights : new Uint8Array(weights);
  if (manifestText.length > kind.maxManifestBytes) fail(where, `${MANIFEST_FILE} is over ${kind.maxManifestBytes} bytes; not a metanet manifest`);
  const manifest = parseBundleManifest(manifestText, bytes.byteLength, kind, where);
  const sha256 = manifest.weights.sha256 as string | undefined;
  if (sha256 !== undefined) {
    const subtle = globalThis.crypto?.subtle;
    if (!subtle) fail(where, `cannot verify ${WEIGHTS_FILE}: this context has no crypto.subtle (a page served over plain HTTP); serve it over HTTPS or from localhost`);
    const digest = new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    if (hex !== sha256) fail(where, checksumMismatch);
  }
  return { manifest, tensors: decodeBundleTensors(bytes, manifest, where) };
}
