import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliAsync } from './run-cli';

const SYSTEM = '/usr/share/datasets/fashion-mnist';
const FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];

const root = mkdtempSync(join(tmpdir(), 'metanet-data-cli-'));
let server: Server;
let baseUrl = '';
/** File name → bytes served; a test swaps one for a tampered copy. */
const served = new Map<string, Buffer>();

beforeAll(async () => {
  for (const f of FILES) served.set(f, readFileSync(join(SYSTEM, f)));
  server = createServer((req, res) => {
    const body = served.get((req.url ?? '').replace(/^\/+/, ''));
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(root, { recursive: true, force: true });
});

describe('metanet data', () => {
  it('info --dataset synthetic --json counts balanced classes', () => {
    const r = runCli(['data', 'info', '--dataset', 'synthetic', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.classNames).toHaveLength(10);
    expect(JSON.stringify(info)).toMatch(/"count":\s*\d+/);
  });

  it('info on real Fashion-MNIST reports 60,000 / 10,000', () => {
    const info = JSON.parse(runCli(['data', 'info', '--dataset', 'fashion-mnist', '--json']).stdout);
    expect(info.splits.train.count).toBe(60_000);
    expect(info.splits.test.count).toBe(10_000);
  });

  it('info on a corrupt IDX file exits 2 with one line naming the file', () => {
    const dir = join(root, 'corrupt');
    mkdirSync(dir);
    for (const f of FILES) writeFileSync(join(dir, f.replace('.gz', '')), Buffer.from([0, 0, 8, 3, 0, 0, 0xff, 0xff]));
    const r = runCli(['data', 'info', '--dataset', 'fashion-mnist', '--data-dir', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/idx/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('fetch from a local mirror verifies checksums and writes the four files', async () => {
    const to = join(root, 'fetched');
    const r = await runCliAsync(['data', 'fetch', 'fashion-mnist', '--to', to, '--base-url', baseUrl, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(to).sort()).toEqual([...FILES].sort());
    const info = JSON.parse(runCli(['data', 'info', '--dataset', 'fashion-mnist', '--data-dir', to, '--json']).stdout);
    expect(info.splits.test.count).toBe(10_000);
  });

  it('fetch rejects a tampered file, exits 2 and leaves no file behind', async () => {
    const original = served.get('t10k-labels-idx1-ubyte.gz') as Buffer;
    const { gunzipSync, gzipSync } = await import('node:zlib');
    const labels = gunzipSync(original);
    labels[100] = (labels[100] as number) ^ 1; // one flipped label: still a valid IDX file
    served.set('t10k-labels-idx1-ubyte.gz', gzipSync(labels));
    try {
      const to = join(root, 'tampered');
      const r = await runCliAsync(['data', 'fetch', 'fashion-mnist', '--to', to, '--base-url', baseUrl]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/sha256|checksum/i);
      expect(existsSync(join(to, 't10k-labels-idx1-ubyte.gz'))).toBe(false);
      expect(readdirSync(to).filter((f) => f.includes('.tmp'))).toEqual([]);
    } finally {
      served.set('t10k-labels-idx1-ubyte.gz', original);
    }
  });
});
