import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCliAsync } from '../run-cli';
import { startRedis, type TestRedis } from './redis-server';

/** `metanet bench --queue`: a section's units run by `metanet worker` processes give the local run's results. */
const ENV = { METANET_BENCH_TINY: '1' };
const ARGS = ['bench', '--dataset', 'synthetic', '--only', 'methods', '--seeds', '1', '--methods', 'ft,ga', '--json'];

/** results.json without what depends on the clock or on where the units ran. */
function timeless(file: string): unknown {
  const drop = new Set(['environment', 'wallSeconds', 'seconds', 'rte', 'buildMs', 'units']);
  return JSON.parse(readFileSync(file, 'utf8'), (k, v: unknown) => (drop.has(k) ? undefined : v));
}

let redis: TestRedis;
let root: string;
beforeAll(async () => {
  redis = await startRedis();
  root = mkdtempSync(join(tmpdir(), 'bench-queue-'));
});
afterAll(async () => {
  await redis?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('metanet bench --queue', () => {
  it('runs the methods section on two queue workers and writes the results of a local run', async () => {
    const local = join(root, 'local');
    const ref = await runCliAsync([...ARGS, '--workers', '2', '--out', local], ENV, 600_000);
    expect(ref.status, ref.stderr).toBe(0);

    let events = '';
    const workers: ChildProcess[] = [0, 1].map(() => {
      const w = spawn(process.execPath, [BIN, 'worker', '--queue', redis.url, '--json'], { env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'ignore'] });
      w.stdout!.on('data', (d: Buffer) => (events += d.toString()));
      return w;
    });
    try {
      const queued = join(root, 'queued');
      const r = await runCliAsync([...ARGS, '--queue', redis.url, '--out', queued], ENV, 600_000);
      expect(r.status, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout) as { failedUnits: number; sections: Array<{ name: string; units?: { total: number } }> };
      expect(summary.failedUnits).toBe(0);
      // Every unit of the section ran on a queue worker, none in the coordinator.
      const completed = events.split('\n').filter((l) => l.includes('"type":"completed"')).length;
      expect(completed).toBe(summary.sections.find((s) => s.name === 'methods')?.units?.total);
      expect(timeless(join(queued, 'results.json'))).toEqual(timeless(join(local, 'results.json')));
    } finally {
      for (const w of workers) w.kill('SIGTERM');
    }
  }, 900_000);

  it('refuses an insecure queue URL with one line and exit 2', async () => {
    const r = await runCliAsync([...ARGS, '--queue', 'redis://192.168.1.9:6379', '--out', join(root, 'never')], ENV);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/refusing an unauthenticated/);
  });
});
