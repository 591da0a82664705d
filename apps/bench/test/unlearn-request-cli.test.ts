import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSafetensors, readNet } from '@metanet/nets';
import { expectExit2, runCliAsync } from './run-cli';

const root = mkdtempSync(join(tmpdir(), 'metanet-unlearn-request-'));
const net = join(root, 'net');
const featureNet = join(root, 'feature-net');
const DATA = ['--dataset', 'synthetic', '--limit', '600'];
const FEATURE = 'feature:watermark:3:0.6';

beforeAll(async () => {
  // A clean original, and one trained on the feature request's stamped set (what the request unlearns from).
  const [a, b] = await Promise.all([
    runCliAsync(['train', '--arch', 'mlp:784-32-10', ...DATA, '--epochs', '2', '--seed', '1', '--out', net, '--json']),
    runCliAsync(['train', '--arch', 'mlp:784-32-10', ...DATA, '--epochs', '2', '--seed', '1', '--request', FEATURE, '--out', featureNet, '--json']),
  ]);
  expect(a.status, a.stderr).toBe(0);
  expect(b.status, b.stderr).toBe(0);
}, 600_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Row = Record<string, number | string | undefined>;
const rowsOf = (stdout: string): Row[] => JSON.parse(stdout).rows as Row[];

describe('metanet unlearn --request', () => {
  it('feature: the stamped images are D_f, D_r is the restored set, and feature reliance is scored', async () => {
    const r = await runCliAsync(['unlearn', '--method', 'ft', '--net', featureNet, '--request', FEATURE, ...DATA, '--hp', '{"epochs":1}', '--json']);
    expect(r.status, r.stderr).toBe(0);
    // The original was trained on this request's stamped set, so no warning about it.
    expect(r.stderr).not.toMatch(/expects an original trained on the altered set/);
    const p = JSON.parse(r.stdout);
    expect(p.request).toEqual({ kind: 'feature', feature: 'watermark', class: 3, fraction: 0.6, patch: { size: 3, value: 2.5, position: 'top-left' } });
    expect(p.sizes.retain).toBe(600);
    expect(p.sizes.forget).toBeGreaterThan(0);
    for (const row of rowsOf(r.stdout)) {
      expect(typeof row['feat-gap'], String(row.method)).toBe('number');
      expect(row['feat-attr'] as number).toBeGreaterThanOrEqual(0);
      expect(row['feat-attr'] as number).toBeLessThanOrEqual(1);
    }
    // A clean original gets the one-line hint to train on the stamped set.
    const clean = await runCliAsync(['unlearn', '--method', 'ft', '--net', net, '--request', FEATURE, ...DATA, '--hp', '{"epochs":1}']);
    expect(clean.status, clean.stderr).toBe(0);
    expect(clean.stderr).toMatch(/metanet: warning: a feature request expects an original trained on the altered set; train one with metanet train --request feature:watermark:3:0.6/);
    expect(clean.stdout).toMatch(/^feat-gap\s+clean − stamped accuracy/m);
  }, 600_000);

  it('relabelling methods refuse a feature request in one line (exit 2)', async () => {
    await expectExit2(['unlearn', '--method', 'rl', '--net', featureNet, '--request', FEATURE, ...DATA], /rl relabels the forget set.*use ft, neggrad-plus/);
  }, 300_000);

  it('concept:@indices.json forgets exactly the listed samples', async () => {
    const file = join(root, 'indices.json');
    writeFileSync(file, JSON.stringify({ train: [0, 3, 5, 8, 13, 21, 34, 55, 89, 144], test: [1, 2, 3, 5, 8, 13] }));
    const r = await runCliAsync(['unlearn', '--method', 'ft', '--net', net, '--request', `concept:@${file}`, ...DATA, '--hp', '{"epochs":1}', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p.sizes).toMatchObject({ forget: 10, retain: 590 });
    expect(p.request.indices.train).toHaveLength(10);
    for (const row of rowsOf(r.stdout)) expect(typeof row['concept-AUC'], String(row.method)).toBe('number');
  }, 300_000);

  it('bad requests exit 2 with one line: the grammar, the concept fix, task needs a multi-head net', async () => {
    await expectExit2(['unlearn', '--method', 'ft', '--net', net, '--request', 'forget:everything', ...DATA], /unknown request 'forget:everything'; use class:C\[,C…\] \| random:P \| subpop:C:P \| trigger:P:T \| feature:watermark:C:P \| concept:NAME \| concept:@FILE.json \| task:HEAD/);
    await expectExit2(['unlearn', '--method', 'ft', '--net', net, '--request', 'concept:footwear', ...DATA], /concept 'footwear' needs the classes Sandal, Sneaker, Ankle boot, which .* does not name; use --dataset fashion-mnist/);
    await expectExit2(['unlearn', '--method', 'ft', '--net', net, '--request', 'task:B', ...DATA], /task:B needs a multi-head net/);
    await expectExit2(['unlearn', '--method', 'ft', '--net', net, '--request', `concept:@${join(root, 'missing.json')}`, ...DATA], /concept index file .*missing.json cannot be read/);
    await expectExit2(['unlearn', '--method', 'ft', '--net', net, '--request', 'class:1', '--forget-class', '1', ...DATA], /pass exactly one of --request/);
    await expectExit2(['train', '--arch', 'mlp:784-32-10', ...DATA, '--request', 'class:1', '--out', join(root, 'never')], /does not alter the training set/);
  }, 300_000);

  it('an imported net (a PyTorch-style .safetensors state dict, spec inferred) unlearns end to end, scored as its source bundle', async () => {
    const saved = readNet(net);
    const st = join(root, 'mlp.safetensors');
    writeFileSync(st, exportSafetensors(saved.spec, saved.params, saved.buffers, ''));
    const args = ['--method', 'ft', '--request', 'class:1', ...DATA, '--hp', '{"epochs":1}', '--json'];
    const [imported, bundle] = await Promise.all([runCliAsync(['unlearn', '--net', st, ...args]), runCliAsync(['unlearn', '--net', net, ...args])]);
    expect(imported.status, imported.stderr).toBe(0);
    expect(bundle.status, bundle.stderr).toBe(0);
    const pick = (s: string, m: string): Row => rowsOf(s).find((r) => r.method === m)!;
    // Same weights in, same numbers out: the import is faithful and the whole pipeline ran on it.
    expect(pick(imported.stdout, 'original')).toEqual(pick(bundle.stdout, 'original'));
    expect(pick(imported.stdout, 'ft').forget).toBe(pick(bundle.stdout, 'ft').forget);
    expect(pick(imported.stdout, 'ft').forget as number).toBeLessThan(pick(imported.stdout, 'original').forget as number);
    expect(readFileSync(st).byteLength).toBeGreaterThan(784 * 32 * 4);
  }, 600_000);
});
