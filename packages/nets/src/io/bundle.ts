/**
 * The on-disk tensor bundle behind saved nets and training checkpoints:
 * `manifest.json` (format, version, spec, tensor table, meta) + `weights.bin`
 * (little-endian float32, tensors back to back). The manifest is written last
 * and records the weights' length and sha256, so a manifest never silently
 * pairs with weights from another write.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidNetFileError, InvalidWeightsError } from '../spec/errors';
import { sizeOf } from '../spec/params';
import { MAX_ELEMENTS } from '../spec/shapes';
import { writeFileAtomic } from '@metanet/data';

export const NET_FORMAT = 'metanet.net';
export const NET_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const WEIGHTS_FILE = 'weights.bin';
/** A manifest larger than this is not a manifest (the spec and table are small). */
export const MAX_MANIFEST_BYTES = 64 << 20;

export interface TensorEntry {
  name: string;
  dtype: 'float32';
  shape: number[];
  /** Byte offset into weights.bin. */
  offset: number;
  /** Byte length (= 4 × elements). */
  length: number;
}

export interface Manifest {
  format: typeof NET_FORMAT;
  version: typeof NET_VERSION;
  spec: unknown;
  tensors: TensorEntry[];
  weights: { file: string; byteLength: number; sha256: string };
  meta: Record<string, unknown>;
}

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

/** Writes weights.bin then manifest.json, each atomically. */
export function writeBundle(dir: string, spec: unknown, tensors: readonly NamedArray[], meta: Record<string, unknown>): Manifest {
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
  const manifest: Manifest = {
    format: NET_FORMAT,
    version: NET_VERSION,
    spec,
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

function regularFile(dir: string, path: string, what: string): number {
  if (!existsSync(path)) fail(dir, `${what} is missing; save the net again or point to the right directory`);
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

export interface ReadBundle {
  manifest: Manifest;
  tensors: Map<string, NamedArray>;
}

/**
 * Reads and validates a bundle. Every size is checked against the real file
 * sizes before anything is allocated, so a lying header cannot cause an OOM.
 */
export function readBundle(dir: string): ReadBundle {
  if (!existsSync(dir)) fail(dir, 'no such directory; pass the directory saveNet wrote');
  if (!statSync(dir).isDirectory()) fail(dir, 'is not a directory; pass the directory holding manifest.json and weights.bin');
  const mPath = join(dir, MANIFEST_FILE);
  const mBytes = regularFile(dir, mPath, MANIFEST_FILE);
  if (mBytes > MAX_MANIFEST_BYTES) fail(dir, `${MANIFEST_FILE} is ${mBytes} bytes, more than ${MAX_MANIFEST_BYTES}; not a metanet manifest`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(mPath, 'utf8'));
  } catch (e) {
    fail(dir, `${MANIFEST_FILE} is not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (!isObj(raw)) return fail(dir, `${MANIFEST_FILE} must hold a JSON object`);
  if (raw.format !== NET_FORMAT) fail(dir, `format is ${JSON.stringify(raw.format)}, expected "${NET_FORMAT}"; not a metanet net`);
  if (raw.version !== NET_VERSION) fail(dir, `format version ${JSON.stringify(raw.version)} is not supported; this build reads version ${NET_VERSION}`);
  if (!Array.isArray(raw.tensors)) fail(dir, 'manifest "tensors" must be an array');
  const w = raw.weights;
  if (!isObj(w) || w.file !== WEIGHTS_FILE || typeof w.byteLength !== 'number' || (w.sha256 !== undefined && typeof w.sha256 !== 'string')) {
    fail(dir, `manifest "weights" must be {file: "${WEIGHTS_FILE}", byteLength, sha256}`);
  }
  if (raw.meta !== undefined && !isObj(raw.meta)) fail(dir, 'manifest "meta" must be an object');
  const weights = w as { byteLength: number; sha256?: string };
  const wPath = join(dir, WEIGHTS_FILE);
  const fileBytes = regularFile(dir, wPath, WEIGHTS_FILE);
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
  const bytes = readFileSync(wPath);
  if (bytes.byteLength !== fileBytes) fail(dir, `${WEIGHTS_FILE} changed while being read`);
  if (weights.sha256 !== undefined && createHash('sha256').update(bytes).digest('hex') !== weights.sha256) {
    fail(dir, `${WEIGHTS_FILE} does not match the sha256 in the manifest; the weights are corrupt or from another save`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tensors = new Map<string, NamedArray>();
  for (const e of table) {
    const data = new Float32Array(e.length / 4);
    for (let i = 0; i < data.length; i++) {
      const v = view.getFloat32(e.offset + 4 * i, true);
      if (!Number.isFinite(v)) throw new InvalidWeightsError(`${dir}: tensor ${e.name} has a non-finite value (${v}) at index ${i}; the weights are corrupt`);
      data[i] = v;
    }
    tensors.set(e.name, { name: e.name, shape: e.shape, data });
  }
  return { manifest: { ...(raw as unknown as Manifest), tensors: table, meta: (raw.meta as Record<string, unknown> | undefined) ?? {} }, tensors };
}
