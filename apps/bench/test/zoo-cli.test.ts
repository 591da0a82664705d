import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCliAsync } from './run-cli';
import { expectSameZoo } from './zoo-snapshot';

/**
 * `metanet zoo`: a 12-run zoo built on the worker pool, killed with a real SIGKILL mid-build, resumed, must equal an
 * uninterrupted build byte for byte (index.jsonl and every bundle file); shards merge to the same zoo; bad input
 * exits 2 with one line. Wall times are off (--no-wall-time) so the index is byte-reproducible.
 */
const BUILD = ['zoo', 'build', '--preset', 'tiny', '--runs', '12', '--seed', '1', '--workers', '2', '--no-wall-time', '--json'];

let root: string;
let reference: string;

const lineCount = (dir: string): number => {
  const p = join(dir, 'index.jsonl');
  return existsSync(p) ? readFileSync(p, 'utf8').split('\n').length - 1 : 0;
};

/** Starts a build and SIGKILLs it once some but not all runs are in the index; resolves whether it was killed mid-build. */
function buildAndKill(out: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...BUILD, '--out', out], { stdio: 'ignore' });
    const poll = setInterval(() => {
      if (lineCount(out) >= 6) child.kill('SIGKILL');
    }, 20);
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearInterval(poll);
      resolve(signal === 'SIGKILL');
    });
  });
}

// Every CLI call goes through runCliAsync: blocking spawnSyncs of minutes starve vitest's worker RPC on a loaded machine.
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'zoo-cli-'));
  reference = join(root, 'reference');
  const r = await runCliAsync([...BUILD, '--out', reference]);
  expect(r.status, r.stderr).toBe(0);
}, 300_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('metanet zoo', () => {
  it('builds 12 runs (36 nets) and reports them as JSON', async () => {
    expect(lineCount(reference)).toBe(36);
    const stats = await runCliAsync(['zoo', 'stats', reference, '--json']);
    expect(stats.status, stats.stderr).toBe(0);
    const s = JSON.parse(stats.stdout) as { records: number; finalNets: number; histogram: number[] };
    expect(s.records).toBe(36);
    expect(s.histogram.reduce((a, b) => a + b, 0)).toBe(12);
  });

  it('resumes after a real SIGKILL mid-build and ends byte-identical to an uninterrupted build', async () => {
    const out = join(root, 'killed');
    const killed = await buildAndKill(out);
    expect(killed).toBe(true);
    expect(lineCount(out)).toBeLessThan(36);
    const r = await runCliAsync([...BUILD, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { resumed: number }).resumed).toBeGreaterThan(0);
    expectSameZoo(reference, out);
  }, 300_000);

  it('builds shards (one on the pool, one in a single thread) that metanet zoo merge combines into the same zoo', async () => {
    const shards: string[] = [];
    for (const [i, s] of ['0/2', '1/2'].entries()) {
      const out = join(root, `shard${i}`);
      // The last --workers wins: shard 1 trains in the CLI's own thread, so the merge also shows pool = one thread.
      const r = await runCliAsync([...BUILD, '--shard', s, ...(i === 1 ? ['--workers', '0'] : []), '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      shards.push(out);
    }
    const merged = join(root, 'merged');
    const m = await runCliAsync(['zoo', 'merge', '--out', merged, ...shards]);
    expect(m.status, m.stderr).toBe(0);
    expectSameZoo(reference, merged);
  }, 300_000);

  it('repairs a torn last line on resume', async () => {
    const out = join(root, 'torn');
    cpSync(reference, out, { recursive: true });
    appendFileSync(join(out, 'index.jsonl'), '{"id":"r0000');
    const stats = await runCliAsync(['zoo', 'stats', out]);
    expect(stats.status).toBe(2);
    expect(stats.stderr).toMatch(/torn line/);
    const r = await runCliAsync([...BUILD, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { repaired: { tornBytes: number } }).repaired.tornBytes).toBe(12);
    expectSameZoo(reference, out);
  });

  it('exits 2 with one line on an unknown preset, a corrupt or foreign index, and other settings', async () => {
    const expectExit2 = async (args: string[], pattern: RegExp): Promise<void> => {
      const r = await runCliAsync(args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    };
    await expectExit2(['zoo', 'build', '--preset', 'huge-cnn', '--out', join(root, 'x')], /unknown zoo preset "huge-cnn"/);
    await expectExit2([...BUILD, '--seed', '2', '--out', reference], /other settings \(seed: 1 ≠ 2\)/);
    await expectExit2([...BUILD, '--shard', '2/2', '--out', join(root, 'y')], /--shard takes i\/n/);
    const corrupt = join(root, 'corrupt');
    cpSync(reference, corrupt, { recursive: true });
    writeFileSync(join(corrupt, 'index.jsonl'), 'this is not json\n');
    await expectExit2(['zoo', 'stats', corrupt], /index.jsonl:1: not a JSON line/);
    await expectExit2([...BUILD, '--out', corrupt], /index.jsonl:1: not a JSON line/);
    const foreign = join(root, 'foreign');
    cpSync(reference, foreign, { recursive: true });
    writeFileSync(join(foreign, 'zoo.json'), '{"format":"something.else"}');
    await expectExit2(['zoo', 'export', foreign, '--npz', join(root, 'f.npz')], /not a metanet zoo/);
    rmSync(join(foreign, 'zoo.json'));
    await expectExit2([...BUILD, '--out', foreign], /no zoo.json/);
  });

  it('exports an .npz a numpy user can load', async () => {
    const file = join(root, 'zoo.npz');
    const r = await runCliAsync(['zoo', 'export', reference, '--npz', file, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { nets: number; stacked: boolean };
    expect(s).toMatchObject({ nets: 36, stacked: true });
    // A zip whose first entry is a .npy file (local file header signature, then the NUMPY magic after the name).
    const bytes = readFileSync(file);
    expect(bytes.readUInt32LE(0)).toBe(0x04034b50);
    expect(bytes.includes(Buffer.from('\x93NUMPY', 'latin1'))).toBe(true);
  });
});
