import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@metanet/nets';
import type { GMN } from '../gmn';
import { InvalidGMNFileError } from '../errors';
import { GMN_FORMAT, GMN_MANIFEST_FILE, GMN_VERSION, GMN_WEIGHTS_FILE, type GMNManifest, type GMNTensorEntry } from './format';

/**
 * Saves a GMN to `dir` (created if needed): weights.bin first, then manifest.json,
 * each written atomically (temp file, fsync, rename). The manifest records the
 * weights' length and sha256, so a crash between the two writes is detected on load.
 */
export function saveGMN(dir: string, model: GMN, meta: Record<string, unknown> = {}): GMNManifest {
  const names = model.weightNames();
  const weights = model.getWeights();
  const arrays = names.map((name) => {
    const v = weights.get(name)!;
    return { name, shape: [...v.shape], data: v.dataSync() as Float32Array };
  });
  for (const a of arrays) {
    const bad = a.data.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) {
      throw new InvalidGMNFileError(`weight ${a.name} has a non-finite value at index ${bad}; refusing to save a diverged model`);
    }
  }
  const total = arrays.reduce((n, a) => n + a.data.length, 0);
  const bytes = new Uint8Array(total * 4);
  const view = new DataView(bytes.buffer);
  const tensors: GMNTensorEntry[] = [];
  let offset = 0;
  for (const a of arrays) {
    for (let i = 0; i < a.data.length; i++) view.setFloat32(offset + 4 * i, a.data[i]!, true);
    tensors.push({ name: a.name, dtype: 'float32', shape: a.shape, offset, length: a.data.length * 4 });
    offset += a.data.length * 4;
  }
  const manifest: GMNManifest = {
    format: GMN_FORMAT,
    version: GMN_VERSION,
    config: model.config,
    tensors,
    weights: { file: GMN_WEIGHTS_FILE, byteLength: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') },
    meta,
  };
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, GMN_WEIGHTS_FILE), bytes);
  writeFileAtomic(join(dir, GMN_MANIFEST_FILE), JSON.stringify(manifest, null, 1));
  return manifest;
}
