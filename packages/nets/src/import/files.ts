/** Disk entry points of the importers, with the file-level checks (paths, sizes, file types). */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import type { NetSpec } from '@metanet/spec';
import { InvalidNetFileError } from '../errors';
import { importSafetensorsInferred, type InferSpecOptions } from './infer-spec';
import { importLayersModel, type LayersModelImport } from './layers-model';
import { importOnnx, type OnnxImport } from './onnx/import';
import { importSafetensors, type ImportedNet, type ImportSafetensorsOptions } from './safetensors';

/** Largest file the importers read (weights of the nets metanet handles are far smaller). */
export const MAX_IMPORT_BYTES = 1 << 30;

function readRegular(path: string, what: string): Buffer {
  if (!existsSync(path)) throw new InvalidNetFileError(`${path}: ${what} is missing`);
  const st = statSync(path);
  if (!st.isFile()) throw new InvalidNetFileError(`${path}: ${what} is not a regular file`);
  if (st.size > MAX_IMPORT_BYTES) throw new InvalidNetFileError(`${path}: ${what} is ${st.size} bytes, more than ${MAX_IMPORT_BYTES}`);
  return readFileSync(path);
}

/** Reads a .safetensors file and maps it onto `spec`. */
export function loadSafetensors(path: string, spec: NetSpec, opts: ImportSafetensorsOptions = {}): ImportedNet {
  const b = readRegular(path, '.safetensors file');
  return importSafetensors(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), spec, opts);
}

/** Reads an nn.Sequential state dict from a .safetensors file, inferring its spec (throws SpecInferenceError when it cannot). */
export function loadSafetensorsInferred(path: string, opts: InferSpecOptions = {}): ImportedNet & { assumptions: string[] } {
  const b = readRegular(path, '.safetensors file');
  return importSafetensorsInferred(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), opts);
}

/** Reads a .onnx file and imports it. */
export function loadOnnx(path: string): OnnxImport {
  const b = readRegular(path, '.onnx file');
  return importOnnx(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
}

/** Reads model.json (or a directory holding it) and its weight shards. */
export function loadLayersModel(path: string): LayersModelImport {
  const jsonPath = existsSync(path) && statSync(path).isDirectory() ? join(path, 'model.json') : path;
  const text = readRegular(jsonPath, 'model.json').toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InvalidNetFileError(`${jsonPath}: not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  const manifest = (json as { weightsManifest?: unknown } | null)?.weightsManifest;
  if (!Array.isArray(manifest)) throw new InvalidNetFileError(`${jsonPath}: "weightsManifest" must be an array of {paths, weights}`);
  const shards: Buffer[] = [];
  let total = 0;
  for (const group of manifest) {
    const paths = (group as { paths?: unknown } | null)?.paths;
    if (!Array.isArray(paths)) throw new InvalidNetFileError(`${jsonPath}: each weightsManifest group needs a "paths" array`);
    for (const p of paths) {
      if (typeof p !== 'string' || p === '' || isAbsolute(p) || normalize(p).split(sep).includes('..')) {
        throw new InvalidNetFileError(`${jsonPath}: weight path ${JSON.stringify(p)} must be relative and stay in the model directory`);
      }
      const shard = readRegular(join(dirname(jsonPath), p), `weight shard ${p}`);
      total += shard.byteLength;
      if (total > MAX_IMPORT_BYTES) throw new InvalidNetFileError(`${jsonPath}: weight shards exceed ${MAX_IMPORT_BYTES} bytes`);
      shards.push(shard);
    }
  }
  const all = Buffer.concat(shards);
  return importLayersModel(json, new Uint8Array(all.buffer, all.byteOffset, all.byteLength));
}
