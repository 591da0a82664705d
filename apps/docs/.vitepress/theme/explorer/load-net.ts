/**
 * Reads nets in the browser, where @metanet/nets cannot go (it needs node:fs and tfjs): a metanet net bundle
 * (manifest.json + weights.bin, the format nets' saveNet writes) or a .safetensors file. Only the parameters
 * are read; the graph needs nothing else. Shapes are checked against spec's parameter layout.
 */
import { paramInfos, validateSpec, type NetSpec } from '@metanet/spec';

/** A net as the graph builder takes it. */
export interface BrowserNet {
  spec: NetSpec;
  params: Float32Array[];
}

interface TensorEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

/** A file that is not a net this page can read; the message says what to drop instead. */
export class UnreadableNetError extends Error {
  override name = 'UnreadableNetError';
}

function take(spec: NetSpec, find: (name: string) => { shape: number[]; data: Float32Array } | undefined, what: string): Float32Array[] {
  return paramInfos(spec).map((info) => {
    const t = find(info.name);
    if (!t) throw new UnreadableNetError(`${what} has no tensor ${info.name}; it does not match the spec ${spec.name ?? ''}`);
    if (t.shape.join(',') !== info.shape.join(',')) {
      throw new UnreadableNetError(`${what}: ${info.name} has shape [${t.shape.join(', ')}], the spec needs [${info.shape.join(', ')}]`);
    }
    return t.data;
  });
}

/** A net bundle from its manifest.json text and weights.bin bytes. */
export function readBundle(manifestText: string, weights: ArrayBuffer): BrowserNet {
  const manifest = JSON.parse(manifestText) as { format?: string; spec?: unknown; tensors?: TensorEntry[] };
  if (manifest.format !== 'metanet.net' || !manifest.tensors) throw new UnreadableNetError('manifest.json is not a metanet net; drop a folder written by saveNet or `metanet train`');
  const spec = validateSpec(manifest.spec);
  const byName = new Map(manifest.tensors.map((t) => [t.name, t]));
  const params = take(spec, (name) => {
    const t = byName.get(name);
    if (!t) return undefined;
    if (t.offset + t.length > weights.byteLength) throw new UnreadableNetError(`weights.bin is too short for ${name}; the folder is truncated`);
    return { shape: t.shape, data: new Float32Array(weights.slice(t.offset, t.offset + t.length)) };
  }, 'the bundle');
  return { spec, params };
}

/**
 * A .safetensors file read against `spec` (PyTorch names, `layers.{i}.weight`). A `spec` entry in the file's
 * `__metadata__` wins over the one passed in.
 */
export function readSafetensors(bytes: ArrayBuffer, fallback: NetSpec): BrowserNet {
  if (bytes.byteLength < 8) throw new UnreadableNetError('the file is too short to be safetensors');
  const headerLength = Number(new DataView(bytes).getBigUint64(0, true));
  if (8 + headerLength > bytes.byteLength) throw new UnreadableNetError('the safetensors header runs past the end of the file');
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(bytes, 8, headerLength))) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> & { __metadata__?: Record<string, string> };
  const metaSpec = header.__metadata__?.spec;
  const spec = validateSpec(metaSpec ? JSON.parse(metaSpec) : fallback);
  const base = 8 + headerLength;
  const params = take(spec, (name) => {
    const e = header[name];
    if (!e || name === '__metadata__') return undefined;
    if (e.dtype !== 'F32') throw new UnreadableNetError(`${name} is ${e.dtype}; the explorer reads F32 tensors`);
    return { shape: e.shape, data: new Float32Array(bytes.slice(base + e.data_offsets[0], base + e.data_offsets[1])) };
  }, 'the safetensors file');
  return { spec, params };
}
