import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from './run-cli';

/**
 * Crash safety: SIGKILL a real `metanet train` at random points; a rerun
 * with --resume must finish with weights byte-identical to an uninterrupted run,
 * and no temp or partial file may survive anywhere in the output directory.
 */
const KILLS = 10;
const ARGS = ['train', '--arch', 'small-cnn', '--dataset', 'synthetic', '--limit', '400', '--epochs', '4', '--batch-size', '32', '--seed', '5', '--json'];

let root: string;
let reference: { weights: Buffer; manifest: string };
let referenceMs = 0;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? [p, ...filesUnder(p)] : [p];
  });
}

function readResult(dir: string): { weights: Buffer; manifest: string } {
  return { weights: readFileSync(join(dir, 'weights.bin')), manifest: readFileSync(join(dir, 'manifest.json'), 'utf8') };
}

/** Starts a run and SIGKILLs it after `ms`; resolves with whether it was killed before finishing, and how long it ran. */
function runAndKill(out: string, ms: number): Promise<{ killed: boolean; ranMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [BIN, ...ARGS, '--out', out], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', ranMs: Date.now() - t0 });
    });
  });
}

/**
 * Kills a run at `ms`, the point's share of the reference run. A run that finished first
 * (the machine's load makes one run faster than another) is started again in a fresh
 * directory and killed at the same share of its own length.
 */
async function killAt(out: string, ms: number): Promise<boolean> {
  const first = await runAndKill(out, ms);
  if (first.killed) return true;
  rmSync(out, { recursive: true, force: true });
  return (await runAndKill(out, Math.round((ms / referenceMs) * first.ranMs))).killed;
}

/** Deterministic kill points spread over the reference run's duration. */
function killPoints(n: number, totalMs: number): number[] {
  let s = 0x9e3779b9;
  const next = (): number => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
  return Array.from({ length: n }, (_, i) => Math.round(((i + next()) / n) * totalMs * 0.95));
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'metanet-kill-'));
  // Kill points spread over the run's duration, taken as the faster of two uninterrupted
  // runs: a run is mostly start-up and a few seconds of training, so the machine's load
  // swings its length, and points past the end of a faster kill run would not land.
  const durations: number[] = [];
  for (const name of ['reference', 'reference-again']) {
    const t0 = Date.now();
    const r = runCli([...ARGS, '--out', join(root, name)], {}, 300_000);
    durations.push(Date.now() - t0);
    expect(r.status, r.stderr).toBe(0);
  }
  referenceMs = Math.min(...durations);
  reference = readResult(join(root, 'reference'));
  const again = readResult(join(root, 'reference-again'));
  expect(again.weights.equals(reference.weights), 'two uninterrupted runs differ').toBe(true);
}, 720_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('metanet train survives SIGKILL', () => {
  it('a rerun without --resume refuses to overwrite a checkpointed run', () => {
    const r = runCli([...ARGS, '--out', join(root, 'reference')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--resume/);
  });

  it(`resumes bit-identically after ${KILLS} kills at random points`, async () => {
    const points = killPoints(KILLS, referenceMs);
    let killedMidRun = 0;
    for (const [i, ms] of points.entries()) {
      const out = join(root, `kill-${i}`);
      if (await killAt(out, ms)) killedMidRun++;
      const r = runCli([...ARGS, '--out', out, '--resume'], {}, 300_000);
      expect(r.status, `kill ${i} at ${ms} ms: ${r.stderr}`).toBe(0);
      const got = readResult(out);
      expect(got.weights.equals(reference.weights), `kill ${i} at ${ms} ms: weights differ`).toBe(true);
      expect(got.manifest, `kill ${i} at ${ms} ms: manifest differs`).toBe(reference.manifest);
      const leftovers = filesUnder(out).filter((p) => /\.tmp-|\.partial|~$/.test(p));
      expect(leftovers, `kill ${i}: temp files survived`).toEqual([]);
    }
    // Most kill points land while training runs; otherwise the test proves nothing.
    expect(killedMidRun).toBeGreaterThanOrEqual(KILLS - 2);
  }, 1_200_000);
});
