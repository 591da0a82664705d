/**
 * The one resolver behind every command's `--net`: a metanet bundle
 * directory, a .onnx file, a Keras/tfjs model.json (or its directory), or a
 * PyTorch .safetensors state dict (its spec from `--spec FILE`, else inferred
 * from the tensor names and shapes). Returns host arrays; @metanet/nets is
 * loaded lazily because it brings tfjs, which `--arch` paths never need.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseSpec, type NetSpec } from '@metanet/spec';
import { CliUsageError } from './errors';

/** The formats `--net` accepts. */
export type NetFormat = 'bundle' | 'onnx' | 'keras' | 'safetensors';

export interface ResolveNetOptions {
  /** Path of a NetSpec JSON for a .safetensors file (required when its spec cannot be inferred). */
  spec?: string | undefined;
  /** Input [H, W] of a conv state dict whose spec is inferred (a state dict does not record it). */
  input?: number[] | undefined;
}

/** A net read from any `--net` format, as host arrays. */
export interface ResolvedNet {
  spec: NetSpec;
  params: Float32Array[];
  buffers: Float32Array[];
  /** The bundle's meta (dataset, training record); empty for imported formats. */
  meta: Record<string, unknown>;
  format: NetFormat;
  /** What the import changed or assumed (a dropped softmax, an assumed activation). */
  notes: string[];
}

const FORMATS = 'a metanet bundle directory (from metanet train or metanet unlearn --out: manifest.json + weights.bin), a .onnx file, a Keras model.json or a .safetensors state dict';

/** Which format `path` holds, by its name and, for a directory, its contents. */
export function netFormat(path: string): NetFormat {
  if (!existsSync(path)) throw new CliUsageError(`--net ${path}: no such file or directory; give ${FORMATS}`);
  if (statSync(path).isDirectory()) {
    if (existsSync(join(path, 'manifest.json'))) return 'bundle';
    if (existsSync(join(path, 'model.json'))) return 'keras';
    throw new CliUsageError(`--net ${path}: the directory has neither manifest.json nor model.json; give ${FORMATS}`);
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.onnx') return 'onnx';
  if (ext === '.safetensors') return 'safetensors';
  if (ext === '.json') return 'keras';
  throw new CliUsageError(`--net ${path}: unknown file type ${JSON.stringify(ext)}; give ${FORMATS}`);
}

function readSpec(path: string): NetSpec {
  if (!existsSync(path)) throw new CliUsageError(`--spec ${path}: no such file; give a NetSpec JSON file`);
  return parseSpec(readFileSync(path, 'utf8'));
}

/** Reads the net at `path` in any format `--net` accepts. */
export async function resolveNet(path: string, opts: ResolveNetOptions = {}): Promise<ResolvedNet> {
  const format = netFormat(path);
  if (opts.spec !== undefined && format !== 'safetensors') throw new CliUsageError(`--spec applies only to a .safetensors --net; ${path} carries its own spec`);
  const nets = await import('@metanet/nets');
  switch (format) {
    case 'bundle': {
      const n = nets.readNet(path);
      return { ...n, format, notes: [] };
    }
    case 'onnx': {
      const n = nets.loadOnnx(path);
      return { spec: n.spec, params: n.params, buffers: n.buffers, meta: {}, format, notes: n.warnings };
    }
    case 'keras': {
      const n = nets.loadLayersModel(path);
      return { spec: n.spec, params: n.params, buffers: n.buffers, meta: {}, format, notes: n.warnings };
    }
    case 'safetensors': {
      if (opts.spec !== undefined) {
        const n = nets.loadSafetensors(path, readSpec(opts.spec));
        return { ...n, meta: {}, format, notes: [] };
      }
      const n = nets.loadSafetensorsInferred(path, opts.input ? { input: opts.input } : {});
      return { spec: n.spec, params: n.params, buffers: n.buffers, meta: {}, format, notes: n.assumptions };
    }
  }
}
