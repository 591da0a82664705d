import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initParamArrays, saveNet } from '@metanet/nets';
import { architecture } from '@metanet/spec';
import { runCli } from './run-cli';

const root = mkdtempSync(join(tmpdir(), 'metanet-unlearn-cli-'));
const net = join(root, 'net');
const DATA = ['--dataset', 'synthetic', '--limit', '800'];

beforeAll(() => {
  // Trained briefly through the real CLI, so the unlearned model has something to forget.
  const r = runCli(['train', '--arch', 'mlp:784-128-10', ...DATA, '--epochs', '3', '--seed', '3', '--out', net, '--json'], {}, 300_000);
  expect(r.status, r.stderr).toBe(0);
}, 360_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function expectExit2(args: string[], pattern: RegExp): void {
  const r = runCli(args);
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('metanet unlearn', () => {
  it('--list names every method with its defaults', () => {
    const r = runCli(['unlearn', '--list']);
    expect(r.status).toBe(0);
    for (const m of ['retrain', 'ft', 'ga', 'neggrad-plus', 'rl', 'kl-uniform', 'l1-sparse', 'salun', 'scrub', 'boundary-shrink', 'ssd', 'fisher', 'logit-mask']) {
      expect(r.stdout).toMatch(new RegExp(`^${m}\\s`, 'm'));
    }
  });

  it('logit-mask drives forget accuracy to 0 and writes the net and results atomically', () => {
    const out = join(root, 'masked');
    const r = runCli(['unlearn', '--method', 'logit-mask', '--net', net, '--forget-class', '2', ...DATA, '--out', out, '--json'], {}, 300_000);
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout).rows as Array<{ method: string; forget: number; retain: number }>;
    const original = rows.find((x) => x.method === 'original');
    const masked = rows.find((x) => x.method === 'logit-mask');
    // The original recognises the class; the filter hides it without touching the rest.
    expect(original?.forget).toBeGreaterThan(0);
    expect(masked?.forget).toBe(0);
    expect(masked?.retain).toBeGreaterThanOrEqual((original?.retain ?? 0) - 1e-9);
    expect(readdirSync(out).sort()).toEqual(['net', 'results.json']);
    expect(readdirSync(join(out, 'net')).sort()).toEqual(['manifest.json', 'weights.bin']);
    expect(readdirSync(root).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('an unknown method lists the known ones (exit 2)', () => {
    expectExit2(['unlearn', '--method', 'forget-everything', '--net', net, '--forget-class', '0', ...DATA], /salun/);
  });

  it('a forget class outside the label set exits 2 and leaves no --out behind', () => {
    const out = join(root, 'bad-class');
    expectExit2(['unlearn', '--method', 'ft', '--net', net, '--forget-class', '10', ...DATA, '--out', out], /class/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('a net that does not fit the dataset exits 2', () => {
    const mlp = join(root, 'mlp');
    const spec = architecture('mlp:100-8-10');
    saveNet(mlp, { spec, params: initParamArrays(spec, { seed: 0 }) });
    expectExit2(['unlearn', '--method', 'ft', '--net', mlp, '--forget-class', '0', ...DATA], /shape|expects|fit/);
  });

  it('both request flags at once exit 2', () => {
    expectExit2(['unlearn', '--method', 'ft', '--net', net, '--forget-class', '0', '--forget-fraction', '0.1', ...DATA], /forget/);
  });
});
