import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, type NpyArray } from '../src/index';

const CASES: NpyArray[] = [
  { dtype: '<f4', shape: [2, 3], data: Float32Array.from([1.5, -2, 3, 0.1, 1e-30, -0]) },
  { dtype: '<f8', shape: [3], data: Float64Array.from([0.1, 2, Math.PI]) },
  { dtype: '<i4', shape: [2], data: Int32Array.from([-7, 2 ** 31 - 1]) },
  { dtype: '<u4', shape: [1], data: Uint32Array.from([2 ** 32 - 1]) },
  { dtype: '|b1', shape: [3], data: Uint8Array.from([1, 0, 1]) },
  { dtype: 'str', shape: [3], data: ['relu', 'tanh', 'leaky_relu'] },
];

describe('.npy', () => {
  it.each(CASES.map((c) => [c.dtype, c] as const))('%s round-trips, and its data starts on a 64-byte boundary', (_d, c) => {
    const bytes = encodeNpy(c);
    const hlen = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + hlen) % 64).toBe(0);
    const back = decodeNpy(bytes);
    expect(back.dtype).toBe(c.dtype);
    expect(back.shape).toEqual(c.shape);
    expect(Array.from(back.data as ArrayLike<unknown>)).toEqual(Array.from(c.data as ArrayLike<unknown>));
  });

  it('writes the header numpy expects', () => {
    const text = new TextDecoder().decode(encodeNpy(CASES[0] as NpyArray).subarray(0, 128));
    expect(text.slice(1, 6)).toBe('NUMPY');
    expect(text).toContain("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
    expect(new TextDecoder().decode(encodeNpy(CASES[5] as NpyArray).subarray(0, 128))).toContain("'descr': '<U10'");
  });
});
