import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  ChecksumMismatchError,
  DatasetFetchError,
  encodeIdx,
  FASHION_MNIST_SYSTEM_DIR,
  fetchDataset,
  fetchFiles,
  readIdx,
  REMOTE_DATASETS,
  UnknownDatasetError,
  type FetchProgress,
  type RemoteDataset,
} from '../src/index';

// Fixtures: small IDX files, served gzipped; one entry's table hash is for
// different content, so its download must be rejected.
const labels = encodeIdx({ dtype: 'uint8', shape: [6], data: Uint8Array.from([0, 1, 2, 3, 4, 5]) });
const images = encodeIdx({ dtype: 'uint8', shape: [6, 2, 2], data: Uint8Array.from({ length: 24 }, (_, i) => i * 10) });
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const served: Record<string, Uint8Array | string> = {
  'images.gz': gzipSync(images),
  'labels.gz': gzipSync(labels),
  'tampered.gz': gzipSync(Uint8Array.from([...labels.subarray(0, 10), 9, 9])),
  'not-gzip.gz': labels,
};

let server: Server;
let base: string;
const root = mkdtempSync(join(tmpdir(), 'metanet-fetch-'));
let requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    requests.push(name);
    const body = served[name];
    if (body === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    if (typeof body === 'string') {
      res.writeHead(200, { 'content-length': statSync(body).size });
      createReadStream(body).pipe(res);
      return;
    }
    res.writeHead(200, { 'content-length': body.length }).end(Buffer.from(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(root, { recursive: true, force: true });
});

const file = (name: string, content: Uint8Array) => ({ name, sha256: sha(content), size: content.length, gzip: true });
const fixtures: RemoteDataset = { baseUrl: 'https://example.invalid/', files: [file('images.gz', images), file('labels.gz', labels)] };

describe('fetchFiles', () => {
  it('downloads, verifies and writes each file, reporting progress', async () => {
    const to = join(root, 'ok');
    const events: FetchProgress[] = [];
    const out = await fetchFiles(fixtures, { to, baseUrl: base, onProgress: (p) => events.push(p) });
    expect(out.map((f) => [f.name, f.cached])).toEqual([['images.gz', false], ['labels.gz', false]]);
    expect(readdirSync(to).sort()).toEqual(['images.gz', 'labels.gz']);
    expect(Array.from((await readIdx(join(to, 'labels.gz'))).data)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(events.filter((e) => e.phase === 'verified').map((e) => e.file)).toEqual(['images.gz', 'labels.gz']);
    expect(events.some((e) => e.phase === 'download' && e.total === (served['images.gz'] as Uint8Array).length)).toBe(true);

    // A rerun keeps verified files instead of downloading them again.
    requests = [];
    const again = await fetchFiles(fixtures, { to, baseUrl: base });
    expect(again.every((f) => f.cached)).toBe(true);
    expect(requests).toEqual([]);
  });

  it('rejects a corrupt download and leaves no file behind', async () => {
    const to = join(root, 'bad');
    const tampered: RemoteDataset = { baseUrl: base, files: [{ ...file('tampered.gz', labels) }] };
    const err = await fetchFiles(tampered, { to }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ChecksumMismatchError);
    expect((err as Error).message).toMatch(/tampered\.gz has sha256 .* expected .*nothing was written/);
    expect(readdirSync(to)).toEqual([]);

    const notGzip: RemoteDataset = { baseUrl: base, files: [file('not-gzip.gz', labels)] };
    await expect(fetchFiles(notGzip, { to })).rejects.toThrow(/not a valid gzip file/);
    expect(readdirSync(to)).toEqual([]);
  });

  it('reports HTTP errors and refuses plain http to other hosts', async () => {
    const missing: RemoteDataset = { baseUrl: base, files: [file('missing.gz', labels)] };
    await expect(fetchFiles(missing, { to: join(root, 'm') })).rejects.toThrow(/HTTP 404/);
    await expect(fetchFiles(fixtures, { to: join(root, 'h'), baseUrl: 'http://example.com/' })).rejects.toThrow(DatasetFetchError);
    await expect(fetchFiles(fixtures, { to: join(root, 'h'), baseUrl: 'not a url' })).rejects.toThrow(/not a valid URL/);
    expect(existsSync(join(root, 'h'))).toBe(false);
  });
});

describe('fetchDataset', () => {
  it('fetches fashion-mnist from a mirror and checks it against the embedded table', async () => {
    for (const f of REMOTE_DATASETS['fashion-mnist']?.files ?? []) served[f.name] = join(FASHION_MNIST_SYSTEM_DIR, f.name);
    const to = join(root, 'fmnist');
    const out = await fetchDataset('fashion-mnist', { to, baseUrl: base });
    expect(out.map((f) => f.name).sort()).toEqual(['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']);
    for (const f of out) expect(sha(readFileSync(f.path))).toBe(sha(readFileSync(join(FASHION_MNIST_SYSTEM_DIR, f.name))));
  });

  it('names what can be fetched', async () => {
    await expect(fetchDataset('cifar-100', { to: root })).rejects.toThrow(UnknownDatasetError);
    await expect(fetchDataset('mnist', { to: root })).rejects.toThrow(/fetchable: fashion-mnist/);
  });
});
