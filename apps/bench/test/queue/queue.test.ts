import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQueueUrl, QUEUE_PREFIX, runOnQueue, runUnit, UNIT_KINDS, type Unit } from '../../src/queue/index';
import { BIN } from '../run-cli';
import { startRedis, type TestRedis } from './redis-server';

const here = dirname(fileURLToPath(import.meta.url));
// Short locks so a killed worker's unit is re-queued within seconds instead of BullMQ's default 30 s.
const FAST = ['--lock-ms', '1500', '--stalled-check-ms', '700'];

function startWorker(url: string, extra: string[] = []): ChildProcess {
  return spawn(process.execPath, [BIN, 'worker', '--queue', url, '--json', ...FAST, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
}

async function stopWorker(w: ChildProcess): Promise<void> {
  if (w.exitCode !== null || w.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
  w.kill('SIGTERM');
  await exited;
}

function noopUnits(n: number, ms: number, bytes: number, prefix = 'u'): Unit[] {
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, kind: 'noop', payload: { bytes, ms, seed: i } }));
}

async function expected(units: readonly Unit[]): Promise<Map<string, unknown>> {
  return new Map(await Promise.all(units.map(async (u) => [u.id, await runUnit(UNIT_KINDS, u)] as const)));
}

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis({ aof: true });
});
afterAll(async () => {
  await redis?.close();
});

describe('BullMQ queue with real Redis and worker processes', () => {
  it('finishes every unit exactly once when a worker is killed with SIGKILL mid-run', async () => {
    const workers = [startWorker(redis.url), startWorker(redis.url)];
    const units = noopUnits(16, 250, 20_000);
    const seen = new Map<string, unknown>();
    let killed = false;
    try {
      const summary = await runOnQueue({
        connection: parseQueueUrl(redis.url),
        queueName: 'test-kill-worker',
        units,
        pollMs: 100,
        onResult: (unit, result) => {
          expect(seen.has(unit.id)).toBe(false);
          seen.set(unit.id, result);
          if (seen.size === 3 && !killed) {
            killed = true;
            workers[0]!.kill('SIGKILL');
          }
        },
      });
      expect(killed).toBe(true);
      expect(summary.failed).toEqual([]);
      expect(summary.completed).toBe(16);
      expect(seen).toEqual(await expected(units));
    } finally {
      await Promise.all(workers.map(stopWorker));
    }
  }, 90_000);

  it('reports a unit that fails on every attempt, refuses a bad payload and an oversized result, and finishes the rest', async () => {
    const worker = startWorker(redis.url, ['--max-result-mb', '0.01']);
    const good = noopUnits(4, 20, 100);
    const units: Unit[] = [
      ...good,
      { id: 'always-fails', kind: 'noop', payload: { bytes: 10, ms: 0, seed: 1, fail: true } },
      { id: 'bad-payload', kind: 'noop', payload: { bytes: 'lots', ms: 0, seed: 1 } },
      { id: 'too-big', kind: 'noop', payload: { bytes: 50_000, ms: 0, seed: 1 } },
    ];
    const results = new Map<string, unknown>();
    const failures = new Map<string, string>();
    try {
      const summary = await runOnQueue({
        connection: parseQueueUrl(redis.url),
        queueName: 'test-failures',
        units,
        attempts: 2,
        pollMs: 100,
        onResult: (u, r) => void results.set(u.id, r),
        onFailed: (u, e) => void failures.set(u.id, e),
      });
      expect(summary.completed).toBe(4);
      expect(results).toEqual(await expected(good));
      expect([...failures.keys()].sort()).toEqual(['always-fails', 'bad-payload', 'too-big']);
      expect(failures.get('always-fails')).toMatch(/asked to fail/);
      expect(failures.get('bad-payload')).toMatch(/fails its schema at bytes/);
      expect(failures.get('too-big')).toMatch(/over the worker's limit/);
    } finally {
      await stopWorker(worker);
    }
  }, 60_000);

  it('is woken by a unit\'s final failure only: a retried attempt sends no failed event', async () => {
    const connection = parseQueueUrl(redis.url);
    const events = new QueueEvents('test-final-failure', { connection, prefix: QUEUE_PREFIX });
    const seen: string[] = [];
    for (const e of ['failed', 'delayed', 'retries-exhausted'] as const) events.on(e, (args: { jobId: string }) => void seen.push(`${e} ${args.jobId}`));
    await events.waitUntilReady();
    const worker = startWorker(redis.url);
    try {
      const units: Unit[] = [{ id: 'fails-thrice', kind: 'noop', payload: { bytes: 10, ms: 0, seed: 1, fail: true } }, ...noopUnits(2, 10, 10, 'ok')];
      const summary = await runOnQueue({ connection, queueName: 'test-final-failure', units, attempts: 3, pollMs: 60_000, onResult: () => undefined });
      // With a 60 s poll, finishing within the test's timeout means the events woke the coordinator.
      expect(summary.failed.map((f) => f.id)).toEqual(['fails-thrice']);
      await new Promise((r) => setTimeout(r, 200));
      expect(seen.filter((s) => s.startsWith('delayed '))).toEqual(['delayed fails-thrice', 'delayed fails-thrice']);
      expect(seen.filter((s) => s.startsWith('failed '))).toEqual(['failed fails-thrice']);
      expect(seen).toContain('retries-exhausted fails-thrice');
    } finally {
      await stopWorker(worker);
      await events.close();
    }
  }, 40_000);

  it('ignores a duplicate completion: a re-added unit id is not run or handed over twice', async () => {
    const connection = parseQueueUrl(redis.url);
    const queue = new Queue('test-dupes', { connection, prefix: QUEUE_PREFIX });
    const unit: Unit = { id: 'once', kind: 'noop', payload: { bytes: 10, ms: 0, seed: 3 } };
    // A coordinator that crashed after enqueueing: the unit is already there when the new one adds it again.
    await queue.add('noop', unit, { jobId: unit.id, removeOnComplete: false });
    const worker = startWorker(redis.url);
    let handed = 0;
    try {
      const summary = await runOnQueue({ connection, queueName: 'test-dupes', units: [unit], pollMs: 100, onResult: () => void (handed += 1) });
      expect(summary.completed).toBe(1);
      expect(handed).toBe(1);
    } finally {
      await stopWorker(worker);
      await queue.close();
    }
  }, 60_000);

  it('completes when the coordinator is killed with SIGKILL and restarted', async () => {
    const out = mkdtempSync(join(tmpdir(), 'metanet-coord-'));
    const script = join(here, 'coordinate-noop.mjs');
    const args = [script, redis.url, 'test-coordinator', out, '12', '200', '1000'];
    const worker = startWorker(redis.url);
    try {
      const first = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      await new Promise<void>((resolve) => {
        let done = 0;
        first.stdout!.on('data', (d: Buffer) => {
          done += (d.toString().match(/^done /gm) ?? []).length;
          if (done >= 3) {
            first.kill('SIGKILL');
            resolve();
          }
        });
      });
      await new Promise((resolve) => first.once('exit', resolve));
      const partial = readdirSync(out).filter((f) => f.endsWith('.json')).length;
      expect(partial).toBeGreaterThanOrEqual(3);
      expect(partial).toBeLessThan(12);
      const second = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let log = '';
      second.stdout!.on('data', (d: Buffer) => (log += d.toString()));
      second.stderr!.on('data', (d: Buffer) => (log += d.toString()));
      const code = await new Promise((resolve) => second.once('exit', resolve));
      expect(code, log).toBe(0);
      const files = readdirSync(out).filter((f) => f.endsWith('.json')).sort();
      expect(files).toHaveLength(12);
      const want = await expected(noopUnits(12, 200, 1000).map((u) => ({ ...u, id: `u${u.id.slice(1).padStart(4, '0')}` })));
      for (const f of files) expect(JSON.parse(readFileSync(join(out, f), 'utf8'))).toEqual(want.get(f.slice(0, -5)));
    } finally {
      await stopWorker(worker);
      rmSync(out, { recursive: true, force: true });
    }
  }, 90_000);

  it('completes when Redis (with AOF) is restarted mid-run', async () => {
    const worker = startWorker(redis.url);
    const units = noopUnits(10, 200, 500, 'r');
    const seen = new Map<string, unknown>();
    let restarted: Promise<void> | null = null;
    try {
      const summary = await runOnQueue({
        connection: parseQueueUrl(redis.url),
        queueName: 'test-redis-restart',
        units,
        pollMs: 100,
        onResult: (u, r) => {
          seen.set(u.id, r);
          if (seen.size === 2 && !restarted) restarted = redis.restart();
        },
      });
      expect(restarted).not.toBeNull();
      await restarted;
      expect(summary.completed).toBe(10);
      expect(seen).toEqual(await expected(units));
    } finally {
      await stopWorker(worker);
    }
  }, 90_000);
});
