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
import { sizeOf } from '@metanet/spec';
import { writeFileAtomic } from '@metanet/data';
import { InvalidNetFileError, InvalidWeightsError } from '../errors';
import {
  MANIFEST_FILE,
  NET_BUNDLE,
  WEIGHTS_FILE,
  checksumMismatch,
  decodeBundleTensors,
  encodeWeights,
  parseBundleManifest,
  type BundleKind,
  type BundleManifest,
  type NamedArray,
  type ReadBundle,
} from './bundle-format';

export * from './bundle-format';

const fail = (dir: string, msg: string): never => {
  throw new InvalidNetFileError(`${dir}: ${msg}`);
};

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

function regularFile(dir: string, path: string, what: string, kind: BundleKind): number {
  if (!existsSync(path)) fail(dir, `${what} is missing; save the ${kind.what} again with ${kind.saver} or point to the right directory`);
  const st = statSync(path);
  if (!st.isFile()) fail(dir, `${what} is not a regular file`);
  return st.size;
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
  const text = readFileSync(mPath, 'utf8');
  // The weights' size is checked before they are read, so a lying table cannot make the reader allocate.
  return parseBundleManifest(text, () => regularFile(dir, join(dir, WEIGHTS_FILE), WEIGHTS_FILE, kind), kind, dir);
}

/** Reads weights.bin for a manifest from `readBundleManifest`: checksum, then finite values, by table entry. */
export function readBundleTensors(dir: string, manifest: BundleManifest): Map<string, NamedArray> {
  const bytes = readFileSync(join(dir, WEIGHTS_FILE));
  if (bytes.byteLength !== manifest.weights.byteLength) fail(dir, `${WEIGHTS_FILE} changed while being read`);
  const sha256 = manifest.weights.sha256 as string | undefined;
  if (sha256 !== undefined && createHash('sha256').update(bytes).digest('hex') !== sha256) fail(dir, checksumMismatch);
  return decodeBundleTensors(bytes, manifest, dir);
}

/**
 * Reads and validates a bundle. Every size is checked against the real file
 * sizes before anything is allocated, so a lying header cannot cause an OOM.
 */
export function readBundle(dir: string, kind: BundleKind = NET_BUNDLE): ReadBundle {
  const manifest = readBundleManifest(dir, kind);
  return { manifest, tensors: readBundleTensors(dir, manifest) };
}
