/**
 * NumPy's `.npy` format (version 1.0), writer and reader, for the arrays `exportNpz` zips into an `.npz`:
 * magic, a Python-literal header padded so the data starts on a 64-byte boundary, then the raw little-endian data.
 */
import { InvalidZooIndexError } from './errors';

/** The dtypes the export writes. */
export type NpyArray =
  | { readonly dtype: '<f4'; readonly shape: readonly number[]; readonly data: Float32Array }
  | { readonly dtype: '<f8'; readonly shape: readonly number[]; readonly data: Float64Array }
  | { readonly dtype: '<i4'; readonly shape: readonly number[]; readonly data: Int32Array }
  | { readonly dtype: '<u4'; readonly shape: readonly number[]; readonly data: Uint32Array }
  | { readonly dtype: '|b1'; readonly shape: readonly number[]; readonly data: Uint8Array }
  | { readonly dtype: 'str'; readonly shape: readonly number[]; readonly data: readonly string[] };

function strWidth(xs: readonly string[]): number {
  return Math.max(1, ...xs.map((s) => [...s].length));
}

/** Serialises `a` as a `.npy` file. Strings become fixed-width UTF-32 (`<U{n}`), as numpy stores `str` arrays. */
export function encodeNpy(a: NpyArray): Uint8Array {
  const descr = a.dtype === 'str' ? `<U${strWidth(a.data)}` : a.dtype;
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  let body: Uint8Array;
  if (a.dtype === 'str') {
    const w = strWidth(a.data);
    const codes = new Uint32Array(a.data.length * w);
    a.data.forEach((s, i) => [...s].forEach((ch, j) => (codes[i * w + j] = ch.codePointAt(0) as number)));
    body = new Uint8Array(codes.buffer);
  } else body = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const out = new Uint8Array(10 + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(body, 10 + header.length);
  return out;
}

/** Parses a `.npy` file written by `encodeNpy` (or numpy, for these dtypes, C order). */
export function decodeNpy(bytes: Uint8Array, where = 'npy'): NpyArray {
  if (bytes[0] !== 0x93 || new TextDecoder().decode(bytes.subarray(1, 6)) !== 'NUMPY') throw new InvalidZooIndexError(`${where}: not a .npy file`);
  const hlen = new DataView(bytes.buffer, bytes.byteOffset).getUint16(8, true);
  const header = new TextDecoder().decode(bytes.subarray(10, 10 + hlen));
  const descr = /'descr': '([^']+)'/.exec(header)?.[1];
  const shape = (/'shape': \(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (/'fortran_order': True/.test(header) || !descr) throw new InvalidZooIndexError(`${where}: unsupported .npy header ${header.trim()}`);
  const raw = bytes.slice(10 + hlen);
  const n = shape.reduce((a, b) => a * b, 1);
  switch (descr) {
    case '<f4': return { dtype: descr, shape, data: new Float32Array(raw.buffer, 0, n) };
    case '<f8': return { dtype: descr, shape, data: new Float64Array(raw.buffer, 0, n) };
    case '<i4': return { dtype: descr, shape, data: new Int32Array(raw.buffer, 0, n) };
    case '<u4': return { dtype: descr, shape, data: new Uint32Array(raw.buffer, 0, n) };
    case '|b1': return { dtype: descr, shape, data: new Uint8Array(raw.buffer, 0, n) };
    default: {
      const w = Number(/^<U(\d+)$/.exec(descr)?.[1]);
      if (!(w > 0)) throw new InvalidZooIndexError(`${where}: unsupported dtype ${descr}`);
      const codes = new Uint32Array(raw.buffer, 0, n * w);
      const data = Array.from({ length: n }, (_, i) => String.fromCodePoint(...Array.from(codes.subarray(i * w, (i + 1) * w)).filter((c) => c !== 0)));
      return { dtype: 'str', shape, data };
    }
  }
}
