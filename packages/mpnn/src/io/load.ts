import { readBundleManifest, readBundleTensors, type TensorEntry } from '@metanet/nets';
import { tf } from '@metanet/tensor';
import { resolveConfig, type GMNConfig } from '../config';
import { GMN } from '../gmn';
import { InvalidConfigError, InvalidGMNFileError } from '../errors';
import { asGMNFileError } from './errors';
import { GMN_BUNDLE } from './format';

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

function checkConfig(raw: unknown, fail: (m: string) => never): GMNConfig {
  if (!isObj(raw)) return fail('config must be an object');
  for (const k of Object.keys(raw)) if (!CONFIG_KEYS.has(k)) fail(`config has an unknown field "${k.slice(0, 40)}"`);
  const features = raw.features;
  if (features !== undefined) {
    if (!isObj(features)) fail('config.features must be an object');
    for (const k of Object.keys(features as Obj)) {
      if (k !== 'frequencies' && k !== 'valueFrequencies' && k !== 'heads' && k !== 'nodeExtra') fail(`config.features has an unknown field "${k.slice(0, 40)}"`);
    }
  }
  try {
    return resolveConfig(raw as Partial<GMNConfig>);
  } catch (e) {
    if (e instanceof InvalidConfigError) return fail(e.message);
    throw e;
  }
}

/**
 * What a GMN adds to nets' table checks (which already bound every entry by
 * the real file size): exactly the config's weights, with the config's
 * shapes, back to back over the whole file.
 */
function checkTable(table: readonly TensorEntry[], expected: Map<string, number[]>, byteLength: number, fail: (m: string) => never): void {
  if (table.length !== expected.size) fail(`the tensor table has ${table.length} entries, the config needs ${expected.size}`);
  let end = 0;
  for (const { name, shape, offset, length } of table) {
    const want = expected.get(name);
    if (want === undefined) fail(`tensor ${name.slice(0, 80)} is not a weight of this config`);
    else if (shape.length !== want.length || shape.some((d, i) => d !== want[i])) {
      fail(`tensor ${name} has shape ${JSON.stringify(shape).slice(0, 60)}, the config needs [${want.join(', ')}]`);
    }
    if (offset !== end) fail(`tensor ${name} starts at byte ${offset}, expected ${end} (tensors are back to back)`);
    end = offset + length;
  }
  if (end !== byteLength) fail(`weights hold ${byteLength} bytes but the table covers ${end}`);
}

/**
 * Reads and validates a saved GMN without touching tfjs, through nets' bundle
 * reader (format and version, table entries against the real file sizes,
 * checksum, finite values) plus the GMN's own checks: every config field, a
 * checksum present, and the table against the config (names, shapes, back to
 * back) before the weights are read. Throws InvalidGMNFileError otherwise.
 */
export function readGMN(dir: string): SavedGMN {
  const fail = (m: string): never => {
    throw new InvalidGMNFileError(`${dir}: ${m}`);
  };
  return asGMNFileError(() => {
    const manifest = readBundleManifest(dir, GMN_BUNDLE);
    const config = checkConfig(manifest.config, fail);
    if (typeof manifest.weights.sha256 !== 'string') fail('weights.sha256 must be 64 hex digits');
    // The table is checked against the config's shapes (computed without allocating) before any read.
    checkTable(manifest.tensors, GMN.parameterShapes(config), manifest.weights.byteLength, fail);
    const weights = new Map([...readBundleTensors(dir, manifest)].map(([name, t]) => [name, { shape: t.shape, data: t.data }]));
    return { config, weights, meta: manifest.meta };
  });
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
