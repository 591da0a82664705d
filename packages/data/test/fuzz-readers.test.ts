// Fuzz suite for the IDX (plain and gzip) and CIFAR-10 readers:
// ≥ 200 generated corrupt files each, fixed seed; FUZZ_RUNS=N for a longer run.
import { afterAll, describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  byteCorruptions,
  fuzzTempDir,
  materialise,
  runFuzz,
  type ByteLayout,
  type FileCase,
} from '../../../test-support/fuzz';
import {
  CIFAR10_RECORD_BYTES,
  CorruptDatasetFileError,
  encodeCifar10Batch,
  encodeIdx,
  readCifar10Batch,
  readIdx,
  readIdxPair,
  type IdxArray,
} from '../src/index';

const tmp = fuzzTempDir('metanet-data-fuzz-');
afterAll(tmp.cleanup);

const images: IdxArray = { dtype: 'uint8', shape: [3, 4, 4], data: Uint8Array.from({ length: 48 }, (_, i) => (i * 7) & 255) };
const idxValid = encodeIdx(images);
const idxLayout: ByteLayout = {
  regions: [
    { name: 'magic+dtype+ndims', start: 0, end: 4 },
    { name: 'dims', start: 4, end: 16 },
    { name: 'payload', start: 16, end: idxValid.length },
  ],
  magic: { offset: 0, length: 2 },
  headerEnd: 16,
  fields: [
    { name: 'dtype', offset: 2, size: 1, endian: 'be' },
    { name: 'ndims', offset: 3, size: 1, endian: 'be' },
    { name: 'dim0', offset: 4, size: 4, endian: 'be' },
    { name: 'dim1', offset: 8, size: 4, endian: 'be' },
    { name: 'dim2', offset: 12, size: 4, endian: 'be' },
  ],
};

const ELEMENT_BYTES = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 } as const;

/** No silent garbage: a successful read is self-consistent and, for an intact file, equal to what was written. */
function validateIdx(r: IdxArray, c: FileCase): void {
  const n = r.shape.reduce((a, b) => a * b, 1);
  expect(r.data.length).toBe(n);
  expect(r.data.BYTES_PER_ELEMENT).toBe(ELEMENT_BYTES[r.dtype]);
  if (c.label === 'valid') {
    expect(r.shape).toEqual(images.shape);
    expect(Array.from(r.data)).toEqual(Array.from(images.data));
  }
}

const gzCase = (c: FileCase): FileCase => (c.kind === 'bytes' ? { ...c, label: `gzip(${c.label})`, bytes: gzipSync(c.bytes) } : c);

describe('fuzz: readers survive hostile files', () => {
  it('IDX plain', async () => {
    const s = await runFuzz({
      name: 'idx',
      reader: (c: FileCase) => readIdx(materialise(tmp.dir, c, 'x-idx3-ubyte')),
      generate: byteCorruptions(idxValid, idxLayout),
      allowedErrors: [CorruptDatasetFileError],
      validate: validateIdx,
      timeoutMs: 5000,
    });
    console.log(JSON.stringify(s));
    expect(s.ok + Object.values(s.errors).reduce((a, b) => a + b, 0)).toBe(s.runs);
    expect(s.errors.CorruptDatasetFileError).toBeGreaterThan(s.runs / 2);
  });

  it('IDX gzip: corrupt IDX inside intact gzip, and corrupt gzip streams', async () => {
    const gzValid = gzipSync(idxValid);
    const gzLayout: ByteLayout = {
      regions: [
        { name: 'gzip header', start: 0, end: 10 },
        { name: 'deflate stream', start: 10, end: gzValid.length - 8 },
        { name: 'gzip trailer (crc, size)', start: gzValid.length - 8, end: gzValid.length },
      ],
      magic: { offset: 0, length: 2 },
      headerEnd: 10,
      fields: [{ name: 'isize', offset: gzValid.length - 4, size: 4, endian: 'le' }],
    };
    const s = await runFuzz({
      name: 'idx.gz',
      reader: (c: FileCase) => readIdx(materialise(tmp.dir, c, 'x-idx3-ubyte.gz')),
      generate: fc.oneof(byteCorruptions(idxValid, idxLayout).map(gzCase), byteCorruptions(gzValid, gzLayout)),
      allowedErrors: [CorruptDatasetFileError],
      validate: (r, c) => validateIdx(r, c.label === 'gzip(valid)' ? { ...c, label: 'valid' } : c),
      timeoutMs: 5000,
    });
    console.log(JSON.stringify(s));
    expect(s.errors.CorruptDatasetFileError).toBeGreaterThan(s.runs / 2);
  });

  it('IDX images/labels pair (the Fashion-MNIST loader path)', async () => {
    const labels = encodeIdx({ dtype: 'uint8', shape: [3], data: Uint8Array.from([1, 9, 0]) });
    const imagesPath = join(tmp.dir, 'pair-images-idx3-ubyte');
    writeFileSync(imagesPath, idxValid);
    const labelLayout: ByteLayout = {
      regions: [
        { name: 'header', start: 0, end: 8 },
        { name: 'payload', start: 8, end: labels.length },
      ],
      magic: { offset: 0, length: 2 },
      fields: [
        { name: 'dtype', offset: 2, size: 1, endian: 'be' },
        { name: 'ndims', offset: 3, size: 1, endian: 'be' },
        { name: 'count', offset: 4, size: 4, endian: 'be' },
      ],
    };
    const s = await runFuzz({
      name: 'idx pair',
      reader: (c: FileCase) => readIdxPair(imagesPath, materialise(tmp.dir, c, 'labels-idx1-ubyte'), 10),
      generate: fc.oneof(byteCorruptions(labels, labelLayout), byteCorruptions(labels, labelLayout).map(gzCase)),
      allowedErrors: [CorruptDatasetFileError],
      validate: (r) => {
        expect(r.labels.length).toBe(r.shape[0]);
        expect(r.images.length).toBe(r.shape[0] * r.shape[1] * r.shape[2]);
        r.labels.forEach((y) => expect(y >= 0 && y < 10).toBe(true));
      },
      timeoutMs: 5000,
    });
    console.log(JSON.stringify(s));
    expect(s.errors.CorruptDatasetFileError).toBeGreaterThan(s.runs / 2);
  });

  it('CIFAR-10 binary batch', async () => {
    const n = 3;
    const px = Uint8Array.from({ length: n * 3072 }, (_, i) => (i * 13) & 255);
    const ys = Int32Array.from([3, 9, 0]);
    const valid = encodeCifar10Batch(px, ys);
    const R = CIFAR10_RECORD_BYTES;
    const layout: ByteLayout = {
      regions: [
        { name: 'record 0 label', start: 0, end: 1 },
        { name: 'record 0 pixels', start: 1, end: R },
        { name: 'record 1', start: R, end: 2 * R },
        { name: 'last record', start: 2 * R, end: 3 * R },
      ],
      headerEnd: 1,
      fields: [0, 1, 2].map((r) => ({ name: `record ${r} label`, offset: r * R, size: 1 as const, endian: 'be' as const })),
    };
    const s = await runFuzz({
      name: 'cifar-10',
      reader: (c: FileCase) => readCifar10Batch(materialise(tmp.dir, c, 'data_batch_1.bin')),
      generate: byteCorruptions(valid, layout, [byteCorruptions(valid, layout).map(gzCase)]),
      allowedErrors: [CorruptDatasetFileError],
      validate: (r, c) => {
        expect(r.labels.length).toBe(r.count);
        expect(r.images.length).toBe(r.count * 3072);
        r.labels.forEach((y) => expect(y >= 0 && y < 10).toBe(true));
        if (c.label === 'valid') {
          expect(r.labels).toEqual(ys);
          expect(r.images).toEqual(px);
        }
      },
      timeoutMs: 5000,
    });
    console.log(JSON.stringify(s));
    expect(s.errors.CorruptDatasetFileError).toBeGreaterThan(s.runs / 3);
  });
});
