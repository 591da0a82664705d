// Real Fashion-MNIST from the Debian package dataset-fashion-mnist (installed
// here and in CI). Fails loudly if it is missing, so a broken CI image is noticed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@metanet/tensor';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  classCounts,
  DatasetNotFoundError,
  disposeDataset,
  FASHION_MNIST_CLASS_NAMES,
  FASHION_MNIST_SYSTEM_DIR,
  loadFashionMnist,
  loadMnist,
  locateDataset,
  readIdxPair,
} from '../src/index';
import { useBackend } from './backend';

beforeAll(() => useBackend('cpu'));

describe('Fashion-MNIST (system copy)', () => {
  it('is auto-detected in /usr/share/datasets/fashion-mnist', () => {
    const saved = process.env.METANET_DATA_DIR;
    delete process.env.METANET_DATA_DIR;
    try {
      const { dir, files } = locateDataset('fashion-mnist', 'train');
      expect(dir).toBe(FASHION_MNIST_SYSTEM_DIR);
      expect(files[0]).toBe(join(FASHION_MNIST_SYSTEM_DIR, 'train-images-idx3-ubyte.gz'));
    } finally {
      if (saved !== undefined) process.env.METANET_DATA_DIR = saved;
    }
  });

  it('has 60000 train and 10000 test samples, 28x28, labels 0-9, balanced classes', async () => {
    for (const [split, n] of [['train', 60000], ['test', 10000]] as const) {
      const { files } = locateDataset('fashion-mnist', split, FASHION_MNIST_SYSTEM_DIR);
      const pair = await readIdxPair(files[0] as string, files[1] as string, 10);
      expect(pair.shape).toEqual([n, 28, 28]);
      const counts = new Array<number>(10).fill(0);
      for (const y of pair.labels) counts[y] = (counts[y] as number) + 1;
      expect(counts).toEqual(new Array(10).fill(n / 10));
    }
  });

  it('loads as a standardised Dataset (test split)', async () => {
    const ds = await loadFashionMnist({ split: 'test', dataDir: FASHION_MNIST_SYSTEM_DIR });
    expect(ds.images.shape).toEqual([10000, 28, 28, 1]);
    expect(ds.labels.dtype).toBe('int32');
    expect(ds.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    expect(ds.name).toBe('fashion-mnist/test');
    expect(Array.from(classCounts(ds))).toEqual(new Array(10).fill(1000));
    const [mean, std] = tf.tidy(() => {
      const m = tf.moments(ds.images);
      return [m.mean.dataSync()[0] as number, Math.sqrt(m.variance.dataSync()[0] as number)];
    });
    // Standardised with the train statistics: close to 0 / 1 on test too.
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(std - 1)).toBeLessThan(0.02);
    disposeDataset(ds);
  });

  it('finds the files in a dataset-named sub-directory of METANET_DATA_DIR', async () => {
    const root = mkdtempSync(join(tmpdir(), 'metanet-root-'));
    mkdirSync(join(root, 'fashion-mnist'));
    for (const f of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) symlinkSync(join(FASHION_MNIST_SYSTEM_DIR, f), join(root, 'fashion-mnist', f));
    const saved = process.env.METANET_DATA_DIR;
    process.env.METANET_DATA_DIR = root;
    try {
      expect(locateDataset('fashion-mnist', 'test').dir).toBe(root);
      const ds = await loadFashionMnist({ split: 'test', limit: 10 });
      expect(ds.source).toBe(join(root, 'fashion-mnist', 't10k-images-idx3-ubyte.gz'));
      disposeDataset(ds);
      // The train split is not there, and an env directory falls through to the system copy.
      expect(locateDataset('fashion-mnist', 'train').dir).toBe(FASHION_MNIST_SYSTEM_DIR);
    } finally {
      if (saved !== undefined) process.env.METANET_DATA_DIR = saved;
      else delete process.env.METANET_DATA_DIR;
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('limit reads only the first samples', async () => {
    const ds = await loadFashionMnist({ split: 'train', dataDir: FASHION_MNIST_SYSTEM_DIR, limit: 100, normalization: 'unit' });
    expect(ds.images.shape).toEqual([100, 28, 28, 1]);
    const max = tf.tidy(() => tf.max(ds.images).dataSync()[0] as number);
    expect(max).toBeLessThanOrEqual(1);
    expect(max).toBeGreaterThan(0.5);
    disposeDataset(ds);
  });
});

describe('missing datasets', () => {
  const empty = mkdtempSync(join(tmpdir(), 'metanet-empty-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('an explicit dataDir without the files says how to get them, in one line', async () => {
    const err = await loadFashionMnist({ split: 'train', dataDir: empty }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetNotFoundError);
    const msg = (err as Error).message;
    expect(msg).toContain('apt-get install dataset-fashion-mnist');
    expect(msg).toContain('metanet data fetch fashion-mnist --to DIR');
    expect(msg).toContain('--data-dir');
    expect(msg).not.toMatch(/\n/);
  });

  it('METANET_DATA_DIR is used for MNIST, which has no system copy', async () => {
    const saved = process.env.METANET_DATA_DIR;
    process.env.METANET_DATA_DIR = empty;
    try {
      await expect(loadMnist({ split: 'test' })).rejects.toThrow(new RegExp(`not found in ${empty}`));
      delete process.env.METANET_DATA_DIR;
      await expect(loadMnist({ split: 'test' })).rejects.toThrow(/METANET_DATA_DIR is unset/);
    } finally {
      if (saved !== undefined) process.env.METANET_DATA_DIR = saved;
      else delete process.env.METANET_DATA_DIR;
    }
  });
});
