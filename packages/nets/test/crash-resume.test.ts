import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { createRng } from '@metanet/tensor';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';

const root = join(__dirname, '../../..');
const bundle = join(root, 'node_modules/.cache/metanet-nets-test/train_child.cjs');
const EPOCHS = 4;

beforeAll(async () => {
  mkdirSync(join(root, 'node_modules/.cache/metanet-nets-test'), { recursive: true });
  // Bundled from src through the `source` condition; tfjs stays external so its wasm files resolve.
  await build({
    entryPoints: [join(__dirname, 'support/train-child.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    conditions: ['source'],
    // Bare tfjs packages stay external (their wasm files resolve from node_modules); deep
    // ESM-only files such as tfjs-core's register_all_gradients are bundled, as @metanet/tensor's build does.
    plugins: [
      {
        name: 'tfjs-external',
        setup(b) {
          b.onResolve({ filter: /^@tensorflow\/[^/]+$/ }, (a) => ({ path: a.path, external: true }));
        },
      },
    ],
    logLevel: 'silent',
  });
});

function runToEnd(out: string): { ms: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bundle, out, String(EPOCHS), '7'], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return { ms: performance.now() - t0, stdout: r.stdout };
}

function killAfter(out: string, ms: number): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, out, String(EPOCHS), '7'], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`child exited with ${code}`));
    });
  });
}

function listAll(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? [e, ...listAll(join(dir, e)).map((s) => `${e}/${s}`)] : [e]));
}

describe('crash safety: SIGKILL at random points, then --resume', () => {
  it('ends byte-identical to an uninterrupted run, with no partial files left', async () => {
    const base = mkdtempSync(join(tmpdir(), 'nets-kill-'));
    onTestFinished(() => rmSync(base, { recursive: true, force: true }));
    const ref = join(base, 'ref');
    const { ms: total } = runToEnd(ref);
    const out = join(base, 'killed');
    const rng = createRng(2026);
    const kills: { afterMs: number; epochsDone: number }[] = [];
    let attempts = 0;
    while (kills.length < 10 && attempts < 30) {
      attempts++;
      const at = Math.round(total * (0.15 + 0.85 * rng.uniform()));
      const outcome = await killAfter(out, at);
      if (outcome === 'finished') {
        // The job won the race; start over so every kill lands mid-run.
        rmSync(out, { recursive: true, force: true });
        continue;
      }
      let epochsDone = 0;
      try {
        epochsDone = (JSON.parse(readFileSync(join(out, 'checkpoints/latest.json'), 'utf8')) as { epoch: number }).epoch;
      } catch {
        // Killed before the first checkpoint.
      }
      kills.push({ afterMs: at, epochsDone });
    }
    const final = runToEnd(out);
    console.log(JSON.stringify({ uninterruptedMs: Math.round(total), kills, finalRun: final.stdout.trim() }));
    expect(kills.length).toBeGreaterThanOrEqual(10);
    expect(readFileSync(join(out, 'weights.bin')).equals(readFileSync(join(ref, 'weights.bin')))).toBe(true);
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(readFileSync(join(ref, 'manifest.json'), 'utf8'));
    expect(listAll(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(listAll(out).sort()).toEqual(listAll(ref).sort());
  }, 600_000);
});
