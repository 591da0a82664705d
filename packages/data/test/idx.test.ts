import { afterAll, describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CorruptDatasetFileError, DatasetNotFoundError, InvalidDatasetOptionsError, encodeIdx, parseIdxHeader, readIdx, type IdxArray } from '../src/index';

const dir = mkdtempSync(join(tmpdir(), 'metanet-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let k = 0;
const write = (bytes: Uint8Array, name = `f${k++}.idx`): string => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

describe('readIdx', () => {
  it('round-trips every dtype, plain and gzip (detected by magic, not name)', async () => {
    const arrays: IdxArray[] = [
      { dtype: 'uint8', shape: [2, 3], data: Uint8Array.from([0, 1, 2, 253, 254, 255]) },
      { dtype: 'int8', shape: [3], data: Int8Array.from([-128, 0, 127]) },
      { dtype: 'int16', shape: [2], data: Int16Array.from([-32768, 1234]) },
      { dtype: 'int32', shape: [1, 2], data: Int32Array.from([-2147483648, 7]) },
      { dtype: 'float32', shape: [2], data: Float32Array.from([1.5, -0.25]) },
      { dtype: 'float64', shape: [2, 1, 1], data: Float64Array.from([Math.PI, -1e300]) },
    ];
    for (const a of arrays) {
      const enc = encodeIdx(a);
      for (const p of [write(enc, `${a.dtype}.gz`), write(gzipSync(enc), `${a.dtype}.plain`)]) {
        const r = await readIdx(p);
        expect(r.dtype).toBe(a.dtype);
        expect(r.shape).toEqual(a.shape);
        expect(Array.from(r.data)).toEqual(Array.from(a.data));
      }
    }
  });

  it('round-trips random uint8 arrays (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 }), fc.boolean(), async (shape, gz) => {
        const n = shape.reduce((a, b) => a * b, 1);
        const data = Uint8Array.from({ length: n }, (_, i) => (i * 37) & 255);
        const enc = encodeIdx({ dtype: 'uint8', shape, data });
        const r = await readIdx(write(gz ? gzipSync(enc) : enc));
        expect(r.shape).toEqual(shape);
        expect(Array.from(r.data)).toEqual(Array.from(data));
      }),
      { numRuns: 40, seed: 2 },
    );
  });

  it('limit keeps the first rows, plain and gzip', async () => {
    const data = Uint8Array.from({ length: 5 * 4 }, (_, i) => i);
    const enc = encodeIdx({ dtype: 'uint8', shape: [5, 2, 2], data });
    for (const p of [write(enc), write(gzipSync(enc))]) {
      const r = await readIdx(p, { limit: 2 });
      expect(r.shape).toEqual([2, 2, 2]);
      expect(Array.from(r.data)).toEqual(Array.from(data.subarray(0, 8)));
      expect((await readIdx(p, { limit: 99 })).shape).toEqual([5, 2, 2]);
      await expect(readIdx(p, { limit: -1 })).rejects.toBeInstanceOf(InvalidDatasetOptionsError);
    }
  });

  it('names the file and the problem in one line', async () => {
    const enc = encodeIdx({ dtype: 'uint8', shape: [4, 3], data: new Uint8Array(12) });
    const cases: [Uint8Array, RegExp][] = [
      [enc.slice(0, enc.length - 1), /truncated: header 4x3 uint8 needs 12 payload bytes, file has 11/],
      [Uint8Array.from([...enc, 9]), /1 unexpected bytes after/],
      [Uint8Array.from([1, ...enc.subarray(1)]), /bad IDX magic/],
      [Uint8Array.from([0, 0, 0x42, ...enc.subarray(3)]), /unknown IDX dtype byte 0x42/],
      [Uint8Array.from([0, 0, 8, 0]), /0 dimensions/],
      [enc.slice(0, 6), /truncated IDX header/],
      [gzipSync(enc).subarray(0, 20), /corrupt gzip stream|truncated/],
      [gzipSync(enc.slice(0, enc.length - 3)), /truncated: .* gzip stream holds 9/],
      [new Uint8Array(0), /is empty/],
    ];
    for (const [bytes, re] of cases) {
      const p = write(bytes);
      const err = await readIdx(p).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(CorruptDatasetFileError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message.startsWith(p)).toBe(true);
      expect((err as Error).message).not.toMatch(/\n/);
    }
  });

  it('refuses lying headers before allocating', async () => {
    // 2^31 elements: rejected by the product check.
    const huge = new Uint8Array(16);
    huge.set([0, 0, 8, 3]);
    new DataView(huge.buffer).setUint32(4, 65536, false);
    new DataView(huge.buffer).setUint32(8, 32768, false);
    new DataView(huge.buffer).setUint32(12, 1, false);
    await expect(readIdx(write(huge))).rejects.toThrow(/more than 2\^31-1 elements/);
    // A negative (int32) dimension.
    const neg = Uint8Array.from([0, 0, 8, 1, 0xff, 0xff, 0xff, 0xff]);
    await expect(readIdx(write(neg))).rejects.toThrow(/negative as int32/);
    // 1 GB claimed by a tiny gzip file: refused by the deflate-ratio bound.
    const liar = Uint8Array.from([0, 0, 8, 1, 0x40, 0, 0, 0]);
    await expect(readIdx(write(gzipSync(liar)))).rejects.toThrow(/more than a \d+-byte gzip file can hold/);
  });

  it('grows the gzip payload buffer with the data, and still catches a short stream', async () => {
    // 3 MB of zeros compresses to a few KB: past the initial 1 MB buffer.
    const n = 3 << 20;
    const header = (count: number) => {
      const h = new Uint8Array(8);
      h.set([0, 0, 8, 1]);
      new DataView(h.buffer).setUint32(4, count, false);
      return h;
    };
    const body = new Uint8Array(n);
    body[n - 1] = 7;
    const ok = await readIdx(write(gzipSync(Buffer.concat([header(n), body]))));
    expect(ok.shape).toEqual([n]);
    expect(ok.data[n - 1]).toBe(7);
    expect(ok.data.length).toBe(n);
    await expect(readIdx(write(gzipSync(Buffer.concat([header(n + 1000), body]))))).rejects.toThrow(/truncated: .* gzip stream holds 3145728/);
  });

  it('typed errors for a missing file and a directory', async () => {
    await expect(readIdx(join(dir, 'nope.idx'))).rejects.toBeInstanceOf(DatasetNotFoundError);
    const d = join(dir, 'a-dir');
    mkdirSync(d);
    await expect(readIdx(d)).rejects.toThrow(/is a directory/);
  });

  it('parseIdxHeader asks for more bytes rather than guessing', () => {
    expect(parseIdxHeader(Uint8Array.from([0, 0, 8]), 'x')).toBeNull();
    expect(parseIdxHeader(Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 1]), 'x')).toBeNull();
    expect(parseIdxHeader(Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 5]), 'x')).toMatchObject({ shape: [5], payloadBytes: 5, headerBytes: 8 });
  });
});
