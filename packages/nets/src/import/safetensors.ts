/**
 * .safetensors reader/writer (huggingface format): 8-byte little-endian header
 * length N, N bytes of JSON header {name: {dtype, shape, data_offsets}}, then
 * the data. Parsed by hand with full validation: every offset is checked
 * against the real byte length before anything is allocated.
 */
import { bufferInfos, MAX_ELEMENTS, paramInfos, sizeOf, validateSpec, type BufferInfo, type NetSpec, type ParamInfo } from '@metanet/spec';
import { InvalidNetFileError, InvalidWeightsError } from '../errors';

export const MAX_SAFETENSORS_HEADER = 100 << 20;

const DTYPE_BYTES: Record<string, number> = { F32: 4, F64: 8, F16: 2, BF16: 2, I64: 8, I32: 4, U8: 1, I8: 1, BOOL: 1, I16: 2, U16: 2, U32: 4, U64: 8 };
/** Dtypes converted to float32; others (e.g. num_batches_tracked's I64) are only skipped when not needed. */
const FLOAT_DTYPES = new Set(['F32', 'F64', 'F16', 'BF16']);

export interface SafetensorsEntry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

/** A parsed safetensors file: its tensor table, metadata and bytes. */
export interface SafetensorsFile {
  entries: Map<string, SafetensorsEntry>;
  metadata: Record<string, string>;
  /** The data section (after the header). */
  data: Uint8Array;
}

const bad = (msg: string): never => {
  throw new InvalidNetFileError(`safetensors: ${msg}`);
};

/** Parses and validates the container (not the values). */
export function parseSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.byteLength < 8) bad(`file has ${bytes.byteLength} bytes, fewer than the 8-byte header length; the file is truncated or not safetensors`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > MAX_SAFETENSORS_HEADER || n > bytes.byteLength - 8) bad(`header length ${n} exceeds the file (${bytes.byteLength} bytes) or the ${MAX_SAFETENSORS_HEADER}-byte limit; the file is truncated or not safetensors`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    bad(`header is not valid UTF-8 JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return bad('header must be a JSON object');
  const data = bytes.subarray(8 + n);
  const entries = new Map<string, SafetensorsEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || Object.values(raw).some((v) => typeof v !== 'string')) bad('__metadata__ must map strings to strings');
      metadata = raw as Record<string, string>;
      continue;
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad(`entry ${name} must be an object`);
    const { dtype, shape, data_offsets: offs } = raw as Record<string, unknown>;
    if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) return bad(`entry ${name} has unknown dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || shape.length > 8) return bad(`entry ${name} shape must be an array of at most 8 dims`);
    let elements = 1;
    for (const d of shape) {
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) return bad(`entry ${name} has a bad dimension ${JSON.stringify(d)}`);
      elements *= d;
      if (elements > MAX_ELEMENTS) return bad(`entry ${name} shape [${shape.join(', ')}] has more than ${MAX_ELEMENTS} elements`);
    }
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0)) return bad(`entry ${name} data_offsets must be [begin, end]`);
    const [begin, end] = offs as [number, number];
    if (end < begin || end > data.byteLength) return bad(`entry ${name} spans bytes ${begin}..${end} but the data section has ${data.byteLength}; the file is truncated or the header is wrong`);
    if (end - begin !== elements * (DTYPE_BYTES[dtype] as number)) return bad(`entry ${name} has ${end - begin} bytes, its shape and dtype need ${elements * (DTYPE_BYTES[dtype] as number)}`);
    entries.set(name, { name, dtype, shape: shape as number[], begin, end });
  }
  const sorted = [...entries.values()].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  for (const e of sorted) {
    if (e.begin !== pos) bad(e.begin < pos ? `entry ${e.name} overlaps another tensor` : `a gap precedes entry ${e.name}; the data section must be fully indexed`);
    pos = e.end;
  }
  if (pos !== data.byteLength) bad(`${data.byteLength - pos} trailing bytes after the last tensor`);
  return { entries, metadata, data };
}

function f16(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** Decodes a float entry to float32, rejecting NaN/Inf. */
export function decodeFloat(file: SafetensorsFile, e: SafetensorsEntry): Float32Array {
  if (!FLOAT_DTYPES.has(e.dtype)) throw new InvalidWeightsError(`safetensors: tensor ${e.name} has dtype ${e.dtype}; weights must be F32, F64, F16 or BF16`);
  const view = new DataView(file.data.buffer, file.data.byteOffset + e.begin, e.end - e.begin);
  const n = sizeOf(e.shape);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let v: number;
    if (e.dtype === 'F32') v = view.getFloat32(4 * i, true);
    else if (e.dtype === 'F64') v = view.getFloat64(8 * i, true);
    else if (e.dtype === 'F16') v = f16(view.getUint16(2 * i, true));
    else v = new Float32Array(new Uint32Array([view.getUint16(2 * i, true) << 16]).buffer)[0] as number;
    if (!Number.isFinite(v) || !Number.isFinite(Math.fround(v))) throw new InvalidWeightsError(`safetensors: tensor ${e.name} has a non-finite value (${v}) at index ${i}`);
    out[i] = v;
  }
  return out;
}

/** Options of `importSafetensors`: a name prefix and strictness. */
export interface ImportSafetensorsOptions {
  /**
   * Prefix of the file's names before the layer index: 'layers.' for a module
   * holding `self.layers = nn.Sequential(...)`, '' for a bare nn.Sequential.
   * Default: 'layers.' if any name starts with it, else ''.
   */
  prefix?: string;
  /** Default true: every tensor in the file must belong to the spec (num_batches_tracked excepted). */
  strict?: boolean;
}

/** A net imported from another format: the spec, parameters and buffers. */
export interface ImportedNet {
  spec: NetSpec;
  params: Float32Array[];
  buffers: Float32Array[];
}

/** Reads PyTorch weights from .safetensors bytes into a spec's params and buffers (layout as PyTorch, no reshuffle). */
export function importSafetensors(bytes: Uint8Array, specIn: NetSpec, opts: ImportSafetensorsOptions = {}): ImportedNet {
  const spec = validateSpec(specIn);
  const file = parseSafetensors(bytes);
  const prefix = opts.prefix ?? ([...file.entries.keys()].some((k) => k.startsWith('layers.')) ? 'layers.' : '');
  const fileName = (ours: string): string => prefix + ours.slice('layers.'.length);
  const used = new Set<string>();
  const take = (info: ParamInfo | BufferInfo): Float32Array => {
    const name = fileName(info.name);
    const e = file.entries.get(name);
    if (!e) throw new InvalidWeightsError(`safetensors: tensor ${name} is missing; the file does not match the spec (or pass prefix)`);
    if (e.shape.length !== info.shape.length || e.shape.some((d, j) => d !== info.shape[j])) {
      throw new InvalidWeightsError(`safetensors: tensor ${name} has shape [${e.shape.join(', ')}], the spec needs [${info.shape.join(', ')}]`);
    }
    used.add(name);
    return decodeFloat(file, e);
  };
  const params = paramInfos(spec).map(take);
  const buffers = bufferInfos(spec).map(take);
  if (opts.strict ?? true) {
    for (const name of file.entries.keys()) {
      if (!used.has(name) && !name.endsWith('num_batches_tracked')) throw new InvalidWeightsError(`safetensors: tensor ${name} is not part of the spec; pass strict: false to ignore it`);
    }
  }
  return { spec, params, buffers };
}

/** Writes params and buffers as .safetensors (F32), named as PyTorch's state_dict with `prefix`. */
export function exportSafetensors(specIn: NetSpec, params: readonly Float32Array[], buffers?: readonly Float32Array[], prefix = 'layers.'): Uint8Array {
  const spec = validateSpec(specIn);
  const infos = [...paramInfos(spec), ...bufferInfos(spec)];
  const values = [...params, ...(buffers ?? bufferInfos(spec).map((b) => new Float32Array(sizeOf(b.shape)).fill(b.kind === 'running_var' ? 1 : 0)))];
  if (values.length !== infos.length) throw new InvalidWeightsError(`expected ${infos.length} tensors (params then buffers), got ${values.length}`);
  const header: Record<string, unknown> = {};
  let pos = 0;
  infos.forEach((info, k) => {
    const n = (values[k] as Float32Array).length;
    if (n !== sizeOf(info.shape)) throw new InvalidWeightsError(`${info.name} has ${n} values, its shape needs ${sizeOf(info.shape)}`);
    header[prefix + info.name.slice('layers.'.length)] = { dtype: 'F32', shape: info.shape, data_offsets: [pos, pos + 4 * n] };
    pos += 4 * n;
  });
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.byteLength + pos);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.byteLength), true);
  out.set(head, 8);
  let off = 8 + head.byteLength;
  for (const v of values) {
    for (let i = 0; i < v.length; i++) view.setFloat32(off + 4 * i, v[i] as number, true);
    off += 4 * v.length;
  }
  return out;
}
