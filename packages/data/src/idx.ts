/**
 * IDX reader (the MNIST file format), plain or gzip-compressed.
 *
 * Format: two zero bytes, a dtype byte, a dimension count d, then d
 * big-endian uint32 sizes, then the row-major payload (big-endian for
 * multi-byte types). http://yann.lecun.com/exdb/mnist/
 *
 * Every size is checked against what the file can back *before* allocating:
 * plain files must be exactly header + payload long; for gzip, the payload
 * cannot exceed the compressed size times deflate's maximum ratio (1032:1),
 * and decompression streams into a buffer that grows with the data actually
 * decompressed (never past the header's size), so a lying header never
 * causes a large allocation.
 */
import { createGunzip } from 'node:zlib';
import { CorruptDatasetFileError, InvalidDatasetOptionsError } from './errors';
import { isGzip, readWholeFile } from './file-input';

/** The element types an IDX file can declare. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
/** The typed array that holds an IDX file's elements, by dtype. */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A parsed IDX file: its dtype, shape and elements. */
export interface IdxArray {
  readonly dtype: IdxDtype;
  readonly shape: readonly number[];
  readonly data: IdxData;
}

/** Options of `readIdx`: limits that a hostile file cannot exceed, and the expected dtype or rank. */
export interface ReadIdxOptions {
  /** Read only the first `limit` entries along dimension 0 (stops decompressing early). */
  readonly limit?: number;
}

const DTYPES: Readonly<Record<number, { dtype: IdxDtype; size: number }>> = {
  0x08: { dtype: 'uint8', size: 1 },
  0x09: { dtype: 'int8', size: 1 },
  0x0b: { dtype: 'int16', size: 2 },
  0x0c: { dtype: 'int32', size: 4 },
  0x0d: { dtype: 'float32', size: 4 },
  0x0e: { dtype: 'float64', size: 8 },
};

/** Deflate cannot expand more than ~1032:1; plus slack for tiny files. */
const MAX_GZIP_RATIO = 1032;
const MAX_DIMS = 16;
const MAX_ELEMENTS = 2 ** 31 - 1;

/** The header of an IDX file: dtype, shape and where the data starts. */
export interface IdxHeader {
  readonly dtype: IdxDtype;
  readonly elementSize: number;
  readonly shape: readonly number[];
  readonly headerBytes: number;
  /** Payload bytes the header promises. */
  readonly payloadBytes: number;
}

/**
 * Parses the header from the first bytes of an IDX file. Returns null when
 * more bytes are needed. Throws CorruptDatasetFileError on a bad header.
 */
export function parseIdxHeader(bytes: Uint8Array, path: string): IdxHeader | null {
  if (bytes.length < 4) return null;
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new CorruptDatasetFileError(path, `bad IDX magic: first two bytes are ${bytes[0]},${bytes[1]}, expected 0,0; not an IDX file`);
  }
  const code = bytes[2] as number;
  const t = DTYPES[code];
  if (!t) throw new CorruptDatasetFileError(path, `unknown IDX dtype byte 0x${code.toString(16).padStart(2, '0')}`);
  const ndims = bytes[3] as number;
  if (ndims < 1 || ndims > MAX_DIMS) throw new CorruptDatasetFileError(path, `IDX header has ${ndims} dimensions, expected 1 to ${MAX_DIMS}`);
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const shape: number[] = [];
  let elements = 1;
  for (let i = 0; i < ndims; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    if (d > MAX_ELEMENTS) throw new CorruptDatasetFileError(path, `IDX dimension ${i} is ${d} (negative as int32, or ≥ 2^31)`);
    shape.push(d);
    elements *= d;
    if (elements > MAX_ELEMENTS) {
      throw new CorruptDatasetFileError(path, `IDX shape ${shape.join('x')}${i < ndims - 1 ? 'x…' : ''} has more than 2^31-1 elements`);
    }
  }
  return { dtype: t.dtype, elementSize: t.size, shape, headerBytes, payloadBytes: elements * t.size };
}

function allocate(dtype: IdxDtype, n: number): IdxData {
  switch (dtype) {
    case 'uint8': return new Uint8Array(n);
    case 'int8': return new Int8Array(n);
    case 'int16': return new Int16Array(n);
    case 'int32': return new Int32Array(n);
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
  }
}

/** Decodes big-endian payload bytes into a native typed array. */
function decode(h: IdxHeader, payload: Uint8Array, elements: number): IdxData {
  if (h.dtype === 'uint8') return payload;
  if (h.dtype === 'int8') return new Int8Array(payload.buffer, payload.byteOffset, elements);
  const out = allocate(h.dtype, elements);
  const v = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  for (let i = 0; i < elements; i++) {
    const o = i * h.elementSize;
    out[i] =
      h.dtype === 'int16' ? v.getInt16(o, false)
      : h.dtype === 'int32' ? v.getInt32(o, false)
      : h.dtype === 'float32' ? v.getFloat32(o, false)
      : v.getFloat64(o, false);
  }
  return out;
}

function checkLimit(limit: number | undefined, path: string): void {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new InvalidDatasetOptionsError(`limit must be an integer ≥ 0, got ${limit} (reading ${path})`);
  }
}

/** Rows kept after `limit`, and the payload bytes that holds. */
function keptExtent(h: IdxHeader, limit: number | undefined): { shape: number[]; elements: number; bytes: number } {
  const rows = h.shape[0] as number;
  const kept = limit === undefined ? rows : Math.min(rows, limit);
  const rowElements = h.shape.slice(1).reduce((a, b) => a * b, 1);
  const elements = kept * rowElements;
  return { shape: [kept, ...h.shape.slice(1)], elements, bytes: elements * h.elementSize };
}

function readPlain(bytes: Uint8Array, path: string, limit: number | undefined): IdxArray {
  const h = parseIdxHeader(bytes, path);
  if (!h) throw new CorruptDatasetFileError(path, `truncated IDX header (${bytes.length} bytes)`);
  const available = bytes.length - h.headerBytes;
  if (available < h.payloadBytes) {
    throw new CorruptDatasetFileError(path, `truncated: header ${h.shape.join('x')} ${h.dtype} needs ${h.payloadBytes} payload bytes, file has ${available}`);
  }
  if (available > h.payloadBytes) {
    throw new CorruptDatasetFileError(path, `${available - h.payloadBytes} unexpected bytes after the ${h.shape.join('x')} ${h.dtype} payload`);
  }
  const k = keptExtent(h, limit);
  // Copy so the result does not pin the whole file buffer, and is aligned.
  const payload = bytes.slice(h.headerBytes, h.headerBytes + k.bytes);
  return { dtype: h.dtype, shape: k.shape, data: decode(h, payload, k.elements) };
}

/** First buffer size for gzip payloads; it grows as data really arrives. */
const INITIAL_CAPACITY = 1 << 20;

/**
 * Doubles `buf` (up to `max`) until it holds `need` bytes. Growing with the
 * data actually decompressed, rather than trusting the header's size, keeps
 * memory proportional to what the file really holds.
 */
function grow(buf: Uint8Array, need: number, max: number): Uint8Array {
  let cap = Math.max(buf.length, 1);
  while (cap < need) cap *= 2;
  const next = new Uint8Array(Math.min(cap, max));
  next.set(buf);
  return next;
}

async function readGzip(compressed: Uint8Array, path: string, limit: number | undefined): Promise<IdxArray> {
  const gunzip = createGunzip();
  gunzip.end(compressed);
  let head = new Uint8Array(0);
  let h: IdxHeader | null = null;
  let payload: Uint8Array = new Uint8Array(0);
  let want = 0; // payload bytes to keep
  let received = 0; // payload bytes decompressed so far (kept or not)
  let stoppedEarly = false;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      let c = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (!h) {
        const merged = new Uint8Array(head.length + c.length);
        merged.set(head);
        merged.set(c, head.length);
        h = parseIdxHeader(merged, path);
        if (!h) {
          head = merged;
          continue;
        }
        const bound = compressed.length * MAX_GZIP_RATIO + 4096;
        if (h.headerBytes + h.payloadBytes > bound) {
          throw new CorruptDatasetFileError(path, `header claims ${h.payloadBytes} payload bytes, more than a ${compressed.length}-byte gzip file can hold; the header is corrupt`);
        }
        want = keptExtent(h, limit).bytes;
        payload = new Uint8Array(Math.min(want, INITIAL_CAPACITY));
        c = merged.subarray(h.headerBytes);
      }
      if (received < want) {
        const take = c.subarray(0, want - received);
        if (received + take.length > payload.length) payload = grow(payload, received + take.length, want);
        payload.set(take, received);
      }
      received += c.length;
      if (received > h.payloadBytes) {
        throw new CorruptDatasetFileError(path, `unexpected bytes after the ${h.shape.join('x')} ${h.dtype} payload`);
      }
      // With a limit, the rest of the stream is not needed.
      if (want < h.payloadBytes && received >= want) {
        stoppedEarly = true;
        break;
      }
    }
  } catch (err) {
    if (err instanceof CorruptDatasetFileError) throw err;
    const msg = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
    throw new CorruptDatasetFileError(path, `corrupt gzip stream (${msg})`);
  } finally {
    gunzip.destroy();
  }
  if (!h) throw new CorruptDatasetFileError(path, `truncated IDX header (${head.length} bytes after decompression)`);
  if (!stoppedEarly && received < h.payloadBytes) {
    throw new CorruptDatasetFileError(path, `truncated: header ${h.shape.join('x')} ${h.dtype} needs ${h.payloadBytes} payload bytes, gzip stream holds ${received}`);
  }
  const k = keptExtent(h, limit);
  return { dtype: h.dtype, shape: k.shape, data: decode(h, payload.length === want ? payload : payload.subarray(0, want), k.elements) };
}

/**
 * Reads an IDX file, gzip-compressed or not (detected by magic bytes, not by
 * name). Throws DatasetNotFoundError if the file is missing and
 * CorruptDatasetFileError on any format problem.
 */
export async function readIdx(path: string, opts: ReadIdxOptions = {}): Promise<IdxArray> {
  checkLimit(opts.limit, path);
  const bytes = await readWholeFile(path);
  if (bytes.length === 0) throw new CorruptDatasetFileError(path, 'is empty');
  return isGzip(bytes) ? readGzip(bytes, path, opts.limit) : readPlain(bytes, path, opts.limit);
}

/** Encodes an IDX file (plain). Used by tests and fixtures. */
export function encodeIdx(arr: IdxArray): Uint8Array {
  const code = Number(Object.entries(DTYPES).find(([, t]) => t.dtype === arr.dtype)?.[0]);
  const size = DTYPES[code]?.size ?? 1;
  const header = 4 + 4 * arr.shape.length;
  const out = new Uint8Array(header + arr.data.length * size);
  const v = new DataView(out.buffer);
  out[2] = code;
  out[3] = arr.shape.length;
  arr.shape.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < arr.data.length; i++) {
    const o = header + i * size;
    const x = arr.data[i] as number;
    if (arr.dtype === 'uint8') v.setUint8(o, x);
    else if (arr.dtype === 'int8') v.setInt8(o, x);
    else if (arr.dtype === 'int16') v.setInt16(o, x, false);
    else if (arr.dtype === 'int32') v.setInt32(o, x, false);
    else if (arr.dtype === 'float32') v.setFloat32(o, x, false);
    else v.setFloat64(o, x, false);
  }
  return out;
}
