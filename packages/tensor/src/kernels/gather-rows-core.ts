import type { NumericArray } from './typed-access';
import type { HeapKernels } from './wasm-simd';
import { IndexOutOfRangeError } from '../errors';

/**
 * out[i, :] = x[idx[i], :] for rows of `width` elements. Measured on 40k rows:
 * plain loops win for narrow rows (no per-row call); from 32 columns on,
 * `copyWithin` on the shared wasm heap (a memmove, no view objects) wins,
 * and `set(subarray)` does on separate arrays (cpu).
 */
export function gatherRowsInto(x: NumericArray, idx: NumericArray, numRows: number, width: number, out: NumericArray, heap: HeapKernels | null = null): void {
  const n = idx.length;
  for (let i = 0; i < n; i++) {
    const r = idx[i]!;
    if (r < 0 || r >= numRows) {
      throw new IndexOutOfRangeError(`gather index ${r} at position ${i} is outside [0, ${numRows}); fix the index tensor`);
    }
  }
  if (heap !== null && n > 0 && width > 0 && x.BYTES_PER_ELEMENT === 4) {
    // Views on the wasm heap: byteOffset is the heap address.
    heap.gather(x.byteOffset, idx.byteOffset, n, width * x.BYTES_PER_ELEMENT, out.byteOffset);
    return;
  }
  if (width >= 32) {
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
  for (let i = 0; i < n; i++) {
    const s = idx[i]! * width;
    const o = i * width;
    for (let d = 0; d < width; d++) out[o + d] = x[s + d]!;
  }
}
