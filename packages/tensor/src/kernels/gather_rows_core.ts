import type { NumericArray } from './typed_access';
import { IndexOutOfRangeError } from '../errors';

/**
 * out[i, :] = x[idx[i], :] for rows of `width` elements. Plain loops beat
 * `subarray` + `set` for narrow rows (no per-row view objects); wide rows use
 * `copyWithin`/`set`, which compile to memmove.
 */
export function gatherRowsInto(x: NumericArray, idx: NumericArray, numRows: number, width: number, out: NumericArray): void {
  const n = idx.length;
  for (let i = 0; i < n; i++) {
    const r = idx[i]!;
    if (r < 0 || r >= numRows) {
      throw new IndexOutOfRangeError(`gather index ${r} at position ${i} is outside [0, ${numRows}); fix the index tensor`);
    }
  }
  if (width >= 64) {
    if (x.buffer === out.buffer && x.constructor === out.constructor) {
      // Same heap (wasm): copyWithin on one view avoids allocating a view per row.
      const heap = new (x.constructor as Float32ArrayConstructor)(x.buffer as ArrayBuffer);
      const xo = x.byteOffset / x.BYTES_PER_ELEMENT;
      const oo = out.byteOffset / out.BYTES_PER_ELEMENT;
      for (let i = 0; i < n; i++) {
        const s = xo + idx[i]! * width;
        heap.copyWithin(oo + i * width, s, s + width);
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      const s = idx[i]! * width;
      out.set(x.subarray(s, s + width), i * width);
    }
    return;
  }
  for (let i = 0, o = 0; i < n; i++) {
    let s = idx[i]! * width;
    const end = s + width;
    while (s < end) out[o++] = x[s++]!;
  }
}
