import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCliAsync } from '../run-cli';
import { expectSameZoo } from '../zoo-snapshot';
import { startRedis, type TestRedis } from './redis-server';

/**
 * `metanet zoo build --queue`: a 16-run zoo built by a coordinator and two `metanet worker` processes, with one
 * worker SIGKILLed mid-run and the coordinator SIGKILLed and restarted, must equal a local build byte for byte.
 */
const BUILD = ['zoo', 'build', '--preset', 'tiny', '--runs', '16', '--seed', '2', '--no-wall-time', '--json'];

let redis: TestRedis;
let root: string;
beforeAll(async () => {
  redis = await startRedis();
  root = mkdtempSync(join(tmpdir(), 'zoo-queue-'));
});
afterAll(async () => {
  await redis?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

const lines = (dir: string): number => {
  const p = join(dir, 'index.jsonl');
  return existsSync(p) ? readFileSync(p, 'utf8').split('\n').length - 1 : 0;
};

function start(args: string[]): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

async function killWhen(child: ChildProcess, ready: () => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (ready()) child.kill('SIGKILL');
    }, 25);
    child.once('exit', (_code, signal) => {
      clearInterval(poll);
      resolve(signal === 'SIGKILL');
    });
  });
}

describe('metanet zoo build --queue', () => {
  it('equals a local build byte for byte after a worker and the coordinator are killed with SIGKILL', async () => {
    const local = join(root, 'local');
    const ref = await runCliAsync([...BUILD, '--workers', '2', '--out', local]);
    expect(ref.status, ref.stderr).toBe(0);

    const queued = join(root, 'queued');
    const worker = (): ChildProcess => start(['worker', '--queue', redis.url, '--lock-ms', '1500', '--stalled-check-ms', '700']);
    const workers = [worker(), worker()];
    try {
      const first = start([...BUILD, '--queue', redis.url, '--out', queued]);
      // Kill a worker once the first runs are in, then the coordinator a little later.
      const workerKilled = killWhen(workers[0]!, () => lines(queued) >= 3);
      expect(await killWhen(first, () => lines(queued) >= 6)).toBe(true);
      expect(await workerKilled).toBe(true);
      const partial = lines(queued);
      expect(partial).toBeLessThan(lines(local));
      workers.push(worker());
      const second = await runCliAsync([...BUILD, '--queue', redis.url, '--out', queued]);
      expect(second.status, second.stderr).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({ runs: 16 });
      expectSameZoo(local, queued);
    } finally {
      for (const w of workers) w.kill('SIGTERM');
    }
  }, 300_000);

  it('refuses an insecure queue URL before building anything', async () => {
    const r = await runCliAsync([...BUILD, '--queue', 'redis://10.1.2.3:6379', '--out', join(root, 'never')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/refusing an unauthenticated/);
    expect(existsSync(join(root, 'never', 'index.jsonl'))).toBe(false);
  });
});
