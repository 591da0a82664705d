import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  CIFAR10_CLASS_NAMES,
  CIFAR10_RECORD_BYTES,
  CorruptDatasetFileError,
  DatasetNotFoundError,
  disposeDataset,
  encodeCifar10Batch,
  InvalidDatasetOptionsError,
  labelsOf,
  loadCifar10,
  readCifar10Batch,
} from '../src/index';
import { useBackend } from './backend';

const dir = mkdtempSync(join(tmpdir(), 'metanet-cifar-'));
beforeAll(() => useBackend('cpu'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function records(n: number, seed: number): { images: Uint8Array; labels: Int32Array } {
  const images = Uint8Array.from({ length: n * 3072 }, (_, i) => (i * 31 + seed) & 255);
  const labels = Int32Array.from({ length: n }, (_, i) => (i + seed) % 10);
  return { images, labels };
}

describe('readCifar10Batch', () => {
  it('decodes channel-major records into channels-last images', async () => {
    const { images, labels } = records(3, 1);
    const p = join(dir, 'b.bin');
    writeFileSync(p, encodeCifar10Batch(images, labels));
    const b = await readCifar10Batch(p);
    expect(b.count).toBe(3);
    expect(b.labels).toEqual(labels);
    expect(b.images).toEqual(images);
    // The red plane comes first on disk: record 0, pixel 0 red is byte 1.
    const raw = encodeCifar10Batch(images, labels);
    expect(raw[1]).toBe(images[0]);
    expect(raw[1 + 1024]).toBe(images[1]);
    expect((await readCifar10Batch(p, { limit: 2 })).labels).toEqual(labels.subarray(0, 2));
    await expect(readCifar10Batch(p, { limit: 1.5 })).rejects.toBeInstanceOf(InvalidDatasetOptionsError);
  });

  it('rejects partial records, bad labels, gzip, empty files and directories', async () => {
    const { images, labels } = records(2, 0);
    const good = encodeCifar10Batch(images, labels);
    const bad = good.slice();
    bad[CIFAR10_RECORD_BYTES] = 200;
    const cases: [Uint8Array, RegExp][] = [
      [good.subarray(0, good.length - 5), /not a multiple of the 3073-byte CIFAR-10 record \(1 whole records \+ 3068 bytes\)/],
      [bad, /record 1 has label byte 200/],
      [gzipSync(good), /gzip-compressed/],
      [new Uint8Array(0), /is empty/],
    ];
    for (const [bytes, re] of cases) {
      const p = join(dir, `bad-${Math.random()}.bin`);
      writeFileSync(p, bytes);
      const err = await readCifar10Batch(p).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(CorruptDatasetFileError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).toContain(p);
    }
    const d = join(dir, 'dir.bin');
    mkdirSync(d);
    await expect(readCifar10Batch(d)).rejects.toThrow(/is a directory/);
  });
});

describe('loadCifar10', () => {
  it('loads train (5 batches) and test from a directory, with limit across batches', async () => {
    const root = join(dir, 'root');
    const sub = join(root, 'cifar-10-batches-bin');
    mkdirSync(sub, { recursive: true });
    for (let b = 1; b <= 5; b++) {
      const r = records(2, b);
      writeFileSync(join(sub, `data_batch_${b}.bin`), encodeCifar10Batch(r.images, r.labels));
    }
    const t = records(3, 9);
    writeFileSync(join(sub, 'test_batch.bin'), encodeCifar10Batch(t.images, t.labels));
    const train = await loadCifar10({ split: 'train', dataDir: root });
    expect(train.images.shape).toEqual([10, 32, 32, 3]);
    expect(train.classNames).toEqual(CIFAR10_CLASS_NAMES);
    expect(Array.from(labelsOf(train))).toEqual([1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
    const limited = await loadCifar10({ split: 'train', dataDir: root, limit: 3 });
    expect(limited.images.shape[0]).toBe(3);
    const test = await loadCifar10({ split: 'test', dataDir: sub, normalization: 'unit' });
    expect(test.images.shape).toEqual([3, 32, 32, 3]);
    expect(test.images.dataSync()[0]).toBeCloseTo((t.images[0] as number) / 255, 6);
    [train, limited, test].forEach(disposeDataset);
  });

  it('a missing directory says how to get the data', async () => {
    const err = await loadCifar10({ split: 'test', dataDir: join(dir, 'none') }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetNotFoundError);
    expect((err as Error).message).toMatch(/cifar-10-binary\.tar\.gz.*--data-dir/);
  });
});
