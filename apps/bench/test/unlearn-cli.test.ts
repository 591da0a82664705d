import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCifar10Batch, encodeIdx } from '@metanet/data';
import { initParamArrays, saveNet } from '@metanet/nets';
import { architecture } from '@metanet/spec';
import { runCli, runCliAsync } from './run-cli';

const root = mkdtempSync(join(tmpdir(), 'metanet-unlearn-cli-'));
const net = join(root, 'net');
const DATA = ['--dataset', 'synthetic', '--limit', '800'];

beforeAll(async () => {
  // Trained briefly through the real CLI, so the unlearned model has something to forget.
  // Async runs keep the test worker answering vitest while the CLI works.
  const r = await runCliAsync(['train', '--arch', 'mlp:784-128-10', ...DATA, '--epochs', '3', '--seed', '3', '--out', net, '--json']);
  expect(r.status, r.stderr).toBe(0);
}, 360_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** n images of `pixels` bytes with labels 0..9 in turn, in a fixed pattern (no RNG needed). */
function tinySet(n: number, pixels: number): { images: Uint8Array; labels: Int32Array } {
  return {
    images: Uint8Array.from({ length: n * pixels }, (_, i) => (i * 37 + Math.floor(i / pixels) * 11) % 256),
    labels: Int32Array.from({ length: n }, (_, i) => i % 10),
  };
}

/** A tiny MNIST in the real IDX file layout, so the CLI reads it through the real loader. */
function writeMnist(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [prefix, n] of [['train', 100], ['t10k', 40]] as const) {
    const { images, labels } = tinySet(n, 784);
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte`), encodeIdx({ dtype: 'uint8', shape: [n, 28, 28], data: images }));
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), encodeIdx({ dtype: 'uint8', shape: [n], data: Uint8Array.from(labels) }));
  }
}

/** A tiny CIFAR-10 in the real binary batch layout (5 train batches of 20, a test batch of 40). */
function writeCifar(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const train = tinySet(20, 3072);
  for (let b = 1; b <= 5; b++) writeFileSync(join(dir, `data_batch_${b}.bin`), encodeCifar10Batch(train.images, train.labels));
  const test = tinySet(40, 3072);
  writeFileSync(join(dir, 'test_batch.bin'), encodeCifar10Batch(test.images, test.labels));
}

/** expectExit2 without blocking the test worker, for tests that run the CLI several times. */
async function expectExit2Async(args: string[], pattern: RegExp): Promise<void> {
  const r = await runCliAsync(args);
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

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

  it('--dataset mnist and cifar-10 go through the loader every command shares', async () => {
    const mnist = join(root, 'mnist-data');
    writeMnist(mnist);
    // The net was trained on the synthetic set: scoring it on MNIST needs the explicit override.
    const m = await runCliAsync(['unlearn', '--method', 'logit-mask', '--net', net, '--forget-class', '3', '--dataset', 'mnist', '--data-dir', mnist, '--allow-dataset-mismatch', '--json']);
    expect(m.status, m.stderr).toBe(0);
    const mo = JSON.parse(m.stdout) as { dataset: string; sizes: unknown; rows: Array<{ method: string; forget: number }> };
    expect(mo.dataset).toMatch(/^mnist /);
    expect(mo.sizes).toEqual({ forget: 10, retain: 90, test: 40 });
    expect(mo.rows.find((x) => x.method === 'logit-mask')?.forget).toBe(0);

    const cifar = join(root, 'cifar-data');
    writeCifar(cifar);
    const spec = architecture('mlp:3072-8-10');
    const cifarNet = join(root, 'cifar-net');
    saveNet(cifarNet, { spec, params: initParamArrays(spec, { seed: 1 }) });
    const c = await runCliAsync(['unlearn', '--method', 'logit-mask', '--net', cifarNet, '--forget-class', '3', '--dataset', 'cifar-10', '--data-dir', cifar, '--json']);
    expect(c.status, c.stderr).toBe(0);
    const co = JSON.parse(c.stdout) as { dataset: string; sizes: unknown };
    expect(co.dataset).toMatch(/^cifar-10 /);
    expect(co.sizes).toEqual({ forget: 10, retain: 90, test: 40 });
    // The 28×28 net on 32×32×3 images: refused with the shared one-line error.
    await expectExit2Async(['unlearn', '--method', 'ft', '--net', net, '--forget-class', '0', '--dataset', 'cifar-10', '--data-dir', cifar], /shape|expects|fit/);
  });

  it('an unknown --dataset exits 2 naming every choice', () => {
    expectExit2(['unlearn', '--method', 'ft', '--net', net, '--forget-class', '0', '--dataset', 'imagenet'], /auto, fashion-mnist, synthetic, mnist, cifar-10/);
  });

  it('both request flags at once exit 2', () => {
    expectExit2(['unlearn', '--method', 'ft', '--net', net, '--forget-class', '0', '--forget-fraction', '0.1', ...DATA], /forget/);
  });

  it('a net trained on another dataset than the loaded one exits 2, unless --allow-dataset-mismatch', async () => {
    // The net was trained on the synthetic set; the default dataset is fashion-mnist (or absent, which also exits 2).
    await expectExit2Async(['unlearn', '--method', 'ft', '--net', net, '--forget-class', '0', '--limit', '800'], /synthetic|fashion-mnist/);
    const mnist = join(root, 'mnist-mismatch');
    writeMnist(mnist);
    await expectExit2Async(['unlearn', '--method', 'ft', '--net', net, '--forget-class', '0', '--dataset', 'mnist', '--data-dir', mnist], /^metanet: --net .* was trained on synthetic \(loaded: mnist\); pass --dataset synthetic .*--allow-dataset-mismatch/);
    const j = await runCliAsync(['unlearn', '--method', 'ft', '--net', net, '--forget-class', '0', '--dataset', 'mnist', '--data-dir', mnist, '--json']);
    expect(j.status).toBe(2);
    expect(JSON.parse(j.stdout).error).toMatch(/was trained on synthetic \(loaded: mnist\)/);
  });

  it('--gold must be a retrain for the same request: the original itself or another request exits 2', async () => {
    await expectExit2Async(['unlearn', '--method', 'logit-mask', '--net', net, '--forget-class', '2', ...DATA, '--gold', net], /--gold .* is the original net itself/);
    const gold = join(root, 'gold-2');
    // Async runs keep the test worker responsive during the longer ones.
    const r = await runCliAsync(['unlearn', '--method', 'retrain', '--net', net, '--forget-class', '2', ...DATA, '--hp', '{"epochs":1}', '--out', gold, '--json']);
    expect(r.status, r.stderr).toBe(0);
    await expectExit2Async(['unlearn', '--method', 'logit-mask', '--net', net, '--forget-class', '3', ...DATA, '--gold', join(gold, 'net')], /retrained for class-2, not for class-3/);
    const ok = await runCliAsync(['unlearn', '--method', 'logit-mask', '--net', net, '--forget-class', '2', ...DATA, '--gold', join(gold, 'net')]);
    expect(ok.status, ok.stderr).toBe(0);
    // The default table is the compact one, fits 100 characters, and every column has its legend line.
    const lines = ok.stdout.split('\n');
    const head = lines.find((l) => l.startsWith('method'))!;
    expect(head.trim().split(/\s+/)).toEqual(['method', 'forget', 'retain', 'test-retain', 'SVC-MIA', 'probe-AUC', 'relearn', 'avg-gap', 'RTE']);
    for (const c of ['forget', 'retain', 'test-retain', 'SVC-MIA', 'probe-AUC', 'relearn', 'avg-gap', 'RTE']) {
      expect(lines.filter((l) => l.startsWith(`${c.padEnd(11)} `)), c).toHaveLength(1);
    }
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(ok.stdout).not.toMatch(/0\.5 = indistinguishable/);
  });

  it('--columns names unknown columns in one line (exit 2)', async () => {
    await expectExit2Async(['unlearn', '--method', 'ft', '--net', net, '--forget-class', '0', ...DATA, '--columns', 'forget,nope'], /--columns takes all or a comma list/);
  });
});
