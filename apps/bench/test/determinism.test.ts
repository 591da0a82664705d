import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

/**
 * Determinism: the same seed on the same backend gives bit-identical
 * weights; a different seed does not; wasm and cpu agree closely but not bitwise
 * (their kernels sum in different orders), which is what the docs promise.
 */
const root = mkdtempSync(join(tmpdir(), 'metanet-determinism-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ARGS = ['train', '--arch', 'small-cnn', '--dataset', 'synthetic', '--limit', '300', '--epochs', '2', '--batch-size', '32', '--json'];

function trainOnce(name: string, seed: number, backend: 'wasm' | 'cpu'): { weights: Float32Array; bytes: Buffer; test: number } {
  const out = join(root, name);
  const r = runCli([...ARGS, '--seed', String(seed), '--out', out], { METANET_BACKEND: backend }, 300_000);
  expect(r.status, r.stderr).toBe(0);
  const bytes = readFileSync(join(out, 'weights.bin'));
  const weights = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return { weights, bytes, test: JSON.parse(r.stdout).accuracy.test as number };
}

describe('training is deterministic per backend', () => {
  const a = trainOnce('wasm-a', 11, 'wasm');

  it('wasm: same seed → identical bytes', () => {
    const b = trainOnce('wasm-b', 11, 'wasm');
    expect(b.bytes.equals(a.bytes)).toBe(true);
    expect(b.test).toBe(a.test);
  });

  it('wasm: another seed → different weights', () => {
    const c = trainOnce('wasm-c', 12, 'wasm');
    expect(c.bytes.equals(a.bytes)).toBe(false);
  });

  it('cpu: same seed → identical bytes; close to wasm but not promised bitwise', () => {
    const x = trainOnce('cpu-a', 11, 'cpu');
    const y = trainOnce('cpu-b', 11, 'cpu');
    expect(y.bytes.equals(x.bytes)).toBe(true);
    let maxDiff = 0;
    for (let i = 0; i < a.weights.length; i++) maxDiff = Math.max(maxDiff, Math.abs((a.weights[i] as number) - (x.weights[i] as number)));
    // Same init, same batches, same dropout masks: only float summation order differs.
    expect(maxDiff).toBeLessThan(1e-3);
  });
});
