import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliAsync } from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'gmn-unlearn-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Asynchronous runs: a blocking spawnSync that lasts a minute on a loaded machine starves vitest's own RPC.
describe('metanet gmn-unlearn', () => {
  it('exits 2 with one line on bad input', async () => {
    const both = await runCliAsync(['gmn-unlearn', 'train', '--out', join(dir, 'x'), '--dataset', 'synthetic']);
    expect(both.status).toBe(2);
    expect(both.stderr.trim()).toBe('metanet: pass exactly one of --zoo DIR and --generate N');
    const noEditor = await runCliAsync(['gmn-unlearn', 'apply', '--editor', join(dir, 'none'), '--net', join(dir, 'none'), '--forget-class', '1', '--out', join(dir, 'o')]);
    expect(noEditor.status).toBe(2);
    expect(noEditor.stderr).toMatch(/the saved GMN editor is missing/);
    expect(noEditor.stderr.trim().split('\n')).toHaveLength(1);
    const badClass = await runCliAsync(['gmn-unlearn', 'apply', '--editor', 'e', '--net', 'n', '--forget-class', '-1', '--out', join(dir, 'o')]);
    expect(badClass.status).toBe(2);
    expect(badClass.stderr).toMatch(/--forget-class must be an integer ≥ 0/);
    const goldWithZoo = await runCliAsync(['gmn-unlearn', 'train', '--zoo', dir, '--gold-classes', '1', '--out', join(dir, 'x'), '--dataset', 'synthetic']);
    expect(goldWithZoo.status).toBe(2);
    expect(goldWithZoo.stderr.trim()).toMatch(/^metanet: --gold-classes needs --generate N/);
    const badFeature = await runCliAsync(['gmn-unlearn', 'train', '--generate', '1', '--feature', '-1', '--out', join(dir, 'x'), '--dataset', 'synthetic']);
    expect(badFeature.status).toBe(2);
    expect(badFeature.stderr.trim()).toBe('metanet: --feature must be a weight ≥ 0, got "-1"');
    const badLda = await runCliAsync(['gmn-unlearn', 'train', '--generate', '1', '--lda', 'much', '--out', join(dir, 'x'), '--dataset', 'synthetic']);
    expect(badLda.status).toBe(2);
    expect(badLda.stderr.trim()).toBe('metanet: --lda must be a weight ≥ 0, got "much"');
    const badTarget = await runCliAsync(['gmn-unlearn', 'train', '--generate', '1', '--retain-target', 'gold', '--out', join(dir, 'x'), '--dataset', 'synthetic']);
    expect(badTarget.status).toBe(2);
    expect(badTarget.stderr.trim()).toBe('metanet: --retain-target must be original or renormalised, got "gold"');
    const badScale = await runCliAsync(['gmn-unlearn', 'train', '--generate', '1', '--calibrated-scale', '0', '--out', join(dir, 'x'), '--dataset', 'synthetic']);
    expect(badScale.status).toBe(2);
    expect(badScale.stderr.trim().split('\n')).toHaveLength(1);
    expect(badScale.stderr).toMatch(/--calibrated-scale/);
  });

  it('trains an editor on generated nets, applies it to a saved net, and evaluates it', async () => {
    const editor = join(dir, 'editor');
    const train = await runCliAsync(['gmn-unlearn', 'train', '--generate', '2', '--dataset', 'synthetic', '--limit', '300', '--epochs', '1', '--steps', '4', '--hidden', '8', '--layers', '1', '--gold-classes', '3', '--lda', '0.5', '--out', editor, '--json'], {}, 600_000);
    expect(train.status, train.stderr).toBe(0);
    // --lda reaches the loss the editor was trained with (recorded in its manifest).
    expect(JSON.parse(readFileSync(join(editor, 'manifest.json'), 'utf8')).meta.loss.lda).toBe(0.5);
    const t = JSON.parse(train.stdout);
    expect(t.budget.steps).toBe(4);
    expect(t.budget.golds).toBe(2);
    expect(t.budget.edgesPerStep).toBeGreaterThan(1000);
    expect(t.family).toMatch(/^conv2d-activation-.*-dense\/10$/);
    expect(existsSync(join(editor, 'weights.bin'))).toBe(true);

    const net = join(dir, 'net');
    expect((await runCliAsync(['train', '--arch', 'small-cnn', '--dataset', 'synthetic', '--limit', '200', '--epochs', '1', '--out', net, '--json'], {}, 600_000)).status).toBe(0);
    const apply = await runCliAsync(['gmn-unlearn', 'apply', '--editor', editor, '--net', net, '--forget-class', '3', '--out', join(dir, 'edited'), '--json']);
    expect(apply.status, apply.stderr).toBe(0);
    expect(JSON.parse(apply.stdout).forgetClass).toBe(3);
    expect(existsSync(join(dir, 'edited', 'manifest.json'))).toBe(true);
    // Without --editor: the editor shipped with @metanet/unlearning (small-cnn, Fashion-MNIST's 10 classes).
    const shipped = await runCliAsync(['gmn-unlearn', 'apply', '--net', net, '--forget-class', '3', '--out', join(dir, 'edited-shipped'), '--json']);
    expect(shipped.status, shipped.stderr).toBe(0);
    const meta = JSON.parse(readFileSync(join(dir, 'edited-shipped', 'manifest.json'), 'utf8')).meta.unlearning;
    expect(meta.editor).toMatch(/editors[\\/]small-cnn-fashion-mnist$/);
    expect(meta.scale).toBe(1);
    expect(meta.appliedScale).toBeCloseTo(0.7, 12);
    expect(readFileSync(join(dir, 'edited-shipped', 'weights.bin')).equals(readFileSync(join(dir, 'edited', 'weights.bin')))).toBe(false);
    const wrongFamily = join(dir, 'mlp');
    expect((await runCliAsync(['train', '--arch', 'mlp:784-8-10', '--dataset', 'synthetic', '--limit', '100', '--epochs', '1', '--out', wrongFamily, '--json'], {}, 600_000)).status).toBe(0);
    const refused = await runCliAsync(['gmn-unlearn', 'apply', '--editor', editor, '--net', wrongFamily, '--forget-class', '3', '--out', join(dir, 'o2')]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/the editor was trained on .* nets, not dense/);

    const ev = await runCliAsync(['gmn-unlearn', 'eval', '--editor', editor, '--zoo', net, '--dataset', 'synthetic', '--limit', '300', '--classes', '3', '--json'], {}, 600_000);
    expect(ev.status, ev.stderr).toBe(0);
    const e = JSON.parse(ev.stdout);
    expect(e.pairs).toBe(1);
    expect(e.mean.logitMask.forgetAcc).toBe(0);
    expect(e.mean.original.forgetAcc).toBeGreaterThanOrEqual(0);
  });

  it('eval --out writes the protocol table, results and SVGs; a bad --methods exits 2 with one line', async () => {
    const editor = join(dir, 'editor');
    const net = join(dir, 'net');
    const badMethod = await runCliAsync(['gmn-unlearn', 'eval', '--editor', editor, '--zoo', net, '--dataset', 'synthetic', '--methods', 'ft,retrain']);
    expect(badMethod.status).toBe(2);
    expect(badMethod.stderr.trim()).toBe('metanet: --methods retrain is always in the table (gold and the editor); list baselines only');
    const out = join(dir, 'eval');
    const ev = await runCliAsync(['gmn-unlearn', 'eval', '--editor', editor, '--zoo', net, '--dataset', 'synthetic', '--limit', '300', '--classes', '1', '--methods', 'logit-mask', '--gold-epochs', '1', '--relearn-steps', '10', '--scales', '0,1', '--out', out, '--json'], {}, 600_000);
    expect(ev.status, ev.stderr).toBe(0);
    const e = JSON.parse(ev.stdout);
    expect(e.files).toEqual(['results.json', 'table.md', 'tradeoff.svg', 'training-curves.svg']);
    expect(e.mean.gold.avgGap).toBe(0);
    expect(e.mean.gold.ain).toBe(1);
    expect(e.perPair[0].curve.map((c: { scale: number }) => c.scale)).toEqual([0, 1]);
    expect(e.perPair[0].curve[0].forgetAcc).toBe(e.mean.original.forgetAcc);
    expect(e.warmupSeconds).toBeGreaterThan(0); // untimed edits before the timed ones
    expect(readFileSync(join(out, 'table.md'), 'utf8')).toMatch(/\| \*\*gmn\*\* \| .* \|\n\| logit-mask \| /);
    for (const f of ['tradeoff.svg', 'training-curves.svg']) expect(readFileSync(join(out, f), 'utf8')).toMatch(/class="mark-symbol role-mark/);
  });
});
