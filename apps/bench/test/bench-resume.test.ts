import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCliAsync } from './run-cli';

/**
 * Resume: SIGKILL a real `metanet bench` mid-section (after the methods section's first gold
 * unit is written, before its method units finish), rerun into the same --out, and get the
 * results.json of an uninterrupted run, timings aside.
 */
const ENV = { METANET_BENCH_TINY: '1' };
const ARGS = ['bench', '--dataset', 'synthetic', '--only', 'methods,epsilon', '--seeds', '1', '--methods', 'ft,ga', '--workers', '2', '--json'];
const MARK = join('units', 'methods', 'gold', 'class-0', 's0.json');

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'metanet-bench-resume-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** results.json without what depends on the clock or on how the work was split across invocations. */
function timeless(file: string): unknown {
  const drop = new Set(['environment', 'wallSeconds', 'seconds', 'rte', 'buildMs', 'units']);
  return JSON.parse(readFileSync(file, 'utf8'), (k, v: unknown) => (drop.has(k) ? undefined : v));
}

/** Starts a run and SIGKILLs it once `mark` exists under its --out; resolves with whether the kill landed. */
function killAfter(out: string, mark: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...ARGS, '--out', out], { env: { ...process.env, ...ENV }, stdio: 'ignore' });
    const poll = setInterval(() => {
      if (existsSync(join(out, mark))) child.kill('SIGKILL');
    }, 50);
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearInterval(poll);
      resolve(signal === 'SIGKILL');
    });
  });
}

function unitFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
}

describe('metanet bench resume after kill -9', () => {
  it('gives the results of an uninterrupted run', async () => {
    const reference = join(root, 'reference');
    const ref = await runCliAsync([...ARGS, '--out', reference], ENV, 600_000);
    expect(ref.status, ref.stderr).toBe(0);

    const killed = join(root, 'killed');
    expect(await killAfter(killed, MARK)).toBe(true);
    expect(existsSync(join(killed, 'results.json'))).toBe(false);
    const before = unitFiles(join(killed, 'units'));
    expect(before.length).toBeLessThan(unitFiles(join(reference, 'units')).length);

    const rerun = await runCliAsync([...ARGS, '--out', killed], ENV, 600_000);
    expect(rerun.status, rerun.stderr).toBe(0);
    const summary = JSON.parse(rerun.stdout) as { sections: Array<{ name: string; units?: { reused: number } }> };
    expect(summary.sections.find((s) => s.name === 'methods')!.units!.reused).toBeGreaterThanOrEqual(before.filter((f) => f.startsWith('methods')).length);
    expect(timeless(join(killed, 'results.json'))).toEqual(timeless(join(reference, 'results.json')));
  }, 900_000);
});
