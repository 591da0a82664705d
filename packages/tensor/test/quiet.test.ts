import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const viteNode = join(root, 'node_modules/.bin/vite-node');

/** Runs a script in a fresh Node process (tfjs prints its banner once per process). */
function run(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'metanet-tensor-'));
  try {
    const file = join(dir, 'script.mts');
    writeFileSync(file, script);
    const r = spawnSync(viteNode, [file], { cwd: resolve(here, '..'), encoding: 'utf8', env: { ...process.env, METANET_BACKEND: '' } });
    if (r.status !== 0) throw new Error(`child failed: ${r.stderr.slice(-2000)}`);
    return r.stdout + r.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const NOTICES = /tfjs-node|already registered|Hi,? (there|looks like)/;

describe('tfjs notices', () => {
  it('stock tfjs prints the banner (so the check below can fail)', () => {
    const out = run(`
      import * as tf from '@tensorflow/tfjs-core';
      import '@tensorflow/tfjs-backend-cpu';
      await tf.setBackend('cpu');
      tf.tensor1d([1, 2]).dataSync();
      console.log('done');
    `);
    expect(out).toMatch(NOTICES);
  });

  it('importing the package and initialising any backend prints nothing', () => {
    const src = resolve(here, '../src/index.ts');
    const out = run(`
      import { tf, initBackend, gatherRows } from ${JSON.stringify(src)};
      await initBackend({ backend: 'cpu' });
      tf.tensor1d([1, 2]).dataSync();
      await initBackend({ backend: 'wasm' });
      await initBackend();
      gatherRows(tf.ones([2, 2]), tf.tensor1d([1], 'int32')).dataSync();
      console.log('done');
    `);
    expect(out.trim()).toBe('done');
  });
});
