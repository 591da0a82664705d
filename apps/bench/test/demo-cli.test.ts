import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

const empty = mkdtempSync(join(tmpdir(), 'metanet-demo-empty-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

/** The smallest demo that runs every step: a tiny MLP, 1 epoch, 200 images, one method. */
const TINY = ['--arch', 'mlp:784-16-10', '--limit', '200', '--epochs', '1', '--methods', 'logit-mask', '--forget-class', '1'];

describe('metanet demo', () => {
  it('--data-dir without Fashion-MNIST falls back to the synthetic set, says so on one line, and scores original, gold and the method', () => {
    const r = runCli(['demo', '--data-dir', empty, ...TINY, '--json'], {}, 300_000);
    expect(r.status, r.stderr).toBe(0);
    const notices = r.stderr.split('\n').filter((l) => l.includes('Fashion-MNIST not found'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(empty);
    expect(notices[0]).toMatch(/apt-get install dataset-fashion-mnist/);
    const out = JSON.parse(r.stdout) as { dataset: string; epochs: number; forgetClass: number; rows: Array<{ method: string; metrics: { forgetAcc: number } }> };
    expect(out.dataset).toMatch(/^synthetic shapes/);
    expect(out.epochs).toBe(1);
    expect(out.rows.map((x) => x.method)).toEqual(['original', 'retrain', 'logit-mask']);
    // The filter hides the class entirely.
    expect(out.rows[2]!.metrics.forgetAcc).toBe(0);
  });

  it('prints the compact table with a legend per column, and "1 epoch" in the singular', () => {
    const r = runCli(['demo', '--dataset', 'synthetic', ...TINY], {}, 300_000);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('[1/3] training the original model (1 epoch)');
    expect(r.stderr).not.toMatch(/1 epochs/);
    const lines = r.stdout.split('\n');
    const head = lines.find((l) => l.startsWith('method'))!;
    const columns = head.trim().split(/\s+/).slice(1);
    expect(columns).toEqual(['forget', 'retain', 'test-retain', 'SVC-MIA', 'probe-AUC', 'relearn', 'avg-gap', 'RTE'].filter((c) => c !== 'relearn'));
    for (const c of columns) expect(lines.filter((l) => l.startsWith(`${c.padEnd(11)} `)), c).toHaveLength(1);
    expect(lines.find((l) => l.startsWith('forget '))).toMatch(/UA = 100 − it/);
    expect(r.stdout).toMatch(/^retrain +/m);
    expect(r.stdout).toMatch(/^logit-mask +/m);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
  });

  it('bad flags exit 2 with one metanet: line', () => {
    const r = runCli(['demo', '--epochs', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^metanet: --epochs must be an integer ≥ 1, got "0"$/)]);
  });
});
