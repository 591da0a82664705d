import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '@metanet/tensor';
import { resolveConfig, type GMNConfig } from '../config';
import { GMN } from '../gmn';
import { InvalidConfigError, InvalidGMNFileError } from '../errors';
import { GMN_FORMAT, GMN_MANIFEST_FILE, GMN_VERSION, GMN_WEIGHTS_FILE, MAX_GMN_MANIFEST_BYTES, type GMNTensorEntry } from './format';

/** A saved GMN read into host memory: config, weights by name, meta. */
export interface SavedGMN {
  config: GMNConfig;
  weights: Map<string, { shape: number[]; data: Float32Array }>;
  meta: Record<string, unknown>;
}

type Obj = Record<string, unknown>;

const CONFIG_KEYS = new Set([
  'hidden', 'globalHidden', 'layers', 'mlpLayers', 'aggregation', 'direction', 'activation', 'residual', 'layerNorm', 'dropout',
  'edgeUpdate', 'nodeUpdate', 'globalUpdate', 'graphOutputs', 'edgeOutputs', 'edgeHeadZeroInit', 'features', 'naive', 'seed',
]);

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function oneLine(x: unknown): string {
  const s = x instanceof Error ? x.message : String(x);
  return (s.split('\n')[0] ?? s).slice(0, 200);
}

/** Reads a regular file of at most `max` bytes; typed error otherwise. */
function readRegularFile(path: string, what: string, max: number, fail: (m: string) => never): Buffer {
  let st;
  try {
    st = statSync(path);
  } catch {
    return fail(`${what} is missing; save the model with saveGMN`);
  }
  if (!st.isFile()) return fail(`${what} is not a regular file`);
  if (st.size > max) return fail(`${what} is ${st.size} bytes, more than the ${max} allowed`);
  try {
    return readFileSync(path);
  } catch (e) {
    return fail(`${what} cannot be read (${oneLine(e)})`);
  }
}

function checkConfig(raw: unknown, fail: (m: string) => never): GMNConfig {
  if (!isObj(raw)) return fail('config must be an object');
  for (const k of Object.keys(raw)) if (!CONFIG_KEYS.has(k)) fail(`config has an unknown field "${k.slice(0, 40)}"`);
  const features = raw.features;
  if (features !== undefined) {
    if (!isObj(features)) fail('config.features must be an object');
    for (const k of Object.keys(features as Obj)) {
      if (k !== 'frequencies' && k !== 'valueFrequencies') fail(`config.features has an unknown field "${k.slice(0, 40)}"`);
    }
  }
  try {
    return resolveConfig(raw as Partial<GMNConfig>);
  } catch (e) {
    if (e instanceof InvalidConfigError) return fail(e.message);
    throw e;
  }
}

function checkTable(raw: unknown, expected: Map<string, number[]>, byteLength: number, fail: (m: string) => never): GMNTensorEntry[] {
  if (!Array.isArray(raw)) return fail('tensors must be an array');
  if (raw.length !== expected.size) return fail(`the tensor table has ${raw.length} entries, the config needs ${expected.size}`);
  const seen = new Set<string>();
  let end = 0;
  const out: GMNTensorEntry[] = [];
  raw.forEach((t: unknown, k) => {
    if (!isObj(t)) return fail(`tensors[${k}] must be an object`);
    const { name, dtype, shape, offset, length } = t;
    if (typeof name !== 'string') return fail(`tensors[${k}].name must be a string`);
    if (seen.has(name)) return fail(`tensor ${name.slice(0, 80)} appears twice`);
    seen.add(name);
    const want = expected.get(name);
    if (want === undefined) return fail(`tensor ${name.slice(0, 80)} is not a weight of this config`);
    if (dtype !== 'float32') return fail(`tensor ${name} has dtype ${String(dtype).slice(0, 20)}; only float32 is stored`);
    if (!Array.isArray(shape) || shape.length !== want.length || shape.some((d, i) => d !== want[i])) {
      return fail(`tensor ${name} has shape ${JSON.stringify(shape)?.slice(0, 60)}, the config needs [${want.join(', ')}]`);
    }
    const size = want.reduce((a, b) => a * b, 1);
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0 || offset % 4 !== 0) {
      return fail(`tensor ${name} has an invalid offset`);
    }
    if (typeof length !== 'number' || length !== size * 4) return fail(`tensor ${name} has length ${String(length).slice(0, 30)}, expected ${size * 4}`);
    if (offset !== end) return fail(`tensor ${name} starts at byte ${offset}, expected ${end} (tensors are back to back)`);
    end = offset + length;
    if (end > byteLength) return fail(`tensor ${name} ends at byte ${end}, past the ${byteLength}-byte weights file`);
    out.push({ name, dtype: 'float32', shape: [...want], offset, length });
  });
  if (end !== byteLength) fail(`weights hold ${byteLength} bytes but the table covers ${end}`);
  return out;
}

/**
 * Reads and validates a saved GMN without touching tfjs: format and version, every
 * config field, the tensor table against the config (names, shapes, offsets, back to
 * back), the weights' size and checksum, and finite values. Memory is only allocated
 * for what the weights file really holds. Throws InvalidGMNFileError otherwise.
 */
export function readGMN(dir: string): SavedGMN {
  const fail = (m: string): never => {
    throw new InvalidGMNFileError(`${dir}: ${m}`);
  };
  const text = readRegularFile(join(dir, GMN_MANIFEST_FILE), GMN_MANIFEST_FILE, MAX_GMN_MANIFEST_BYTES, fail);
  let doc: unknown;
  try {
    doc = JSON.parse(text.toString('utf8'));
  } catch (e) {
    return fail(`${GMN_MANIFEST_FILE} is not valid JSON (${oneLine(e)})`);
  }
  if (!isObj(doc)) return fail(`${GMN_MANIFEST_FILE} must hold a JSON object`);
  if (doc.format !== GMN_FORMAT) return fail(`format is ${JSON.stringify(doc.format)?.slice(0, 40)}, expected "${GMN_FORMAT}"`);
  if (doc.version !== GMN_VERSION) {
    return fail(`format version ${JSON.stringify(doc.version)?.slice(0, 40)} is not supported; this build reads version ${GMN_VERSION}`);
  }
  const config = checkConfig(doc.config, fail);
  const w = doc.weights;
  if (!isObj(w)) return fail('weights must be an object');
  if (w.file !== GMN_WEIGHTS_FILE) return fail(`weights.file must be "${GMN_WEIGHTS_FILE}"`);
  if (typeof w.byteLength !== 'number' || !Number.isSafeInteger(w.byteLength) || w.byteLength < 0) return fail('weights.byteLength is invalid');
  if (typeof w.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(w.sha256)) return fail('weights.sha256 must be 64 hex digits');
  const meta = doc.meta === undefined ? {} : doc.meta;
  if (!isObj(meta)) return fail('meta must be an object');
  // The table is checked against the config's shapes (computed without allocating) before any read.
  const table = checkTable(doc.tensors, GMN.parameterShapes(config), w.byteLength, fail);
  const bytes = readRegularFile(join(dir, GMN_WEIGHTS_FILE), GMN_WEIGHTS_FILE, w.byteLength, fail);
  if (bytes.byteLength !== w.byteLength) return fail(`${GMN_WEIGHTS_FILE} has ${bytes.byteLength} bytes, the manifest says ${w.byteLength}`);
  if (createHash('sha256').update(bytes).digest('hex') !== w.sha256) {
    return fail(`${GMN_WEIGHTS_FILE} does not match the manifest's checksum (torn or mixed write); save the model again`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const weights = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const t of table) {
    const data = new Float32Array(t.length / 4);
    for (let i = 0; i < data.length; i++) {
      const x = view.getFloat32(t.offset + 4 * i, true);
      if (!Number.isFinite(x)) return fail(`tensor ${t.name} has a non-finite value (${x}) at index ${i}`);
      data[i] = x;
    }
    weights.set(t.name, { shape: t.shape, data });
  }
  return { config, weights, meta: meta as Record<string, unknown> };
}

/** Loads a saved GMN (see readGMN for the checks) into a new model. */
export function loadGMN(dir: string): GMN {
  const saved = readGMN(dir);
  const model = new GMN(saved.config);
  const tensors = new Map([...saved.weights].map(([name, w]) => [name, tf.tensor(w.data, w.shape, 'float32')]));
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose([...tensors.values()]);
  }
  return model;
}
