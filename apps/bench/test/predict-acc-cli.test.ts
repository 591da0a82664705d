import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { predictedVsTrueSpec, tauVsSizeSpec } from '../src/plots/predict-acc';
import { renderSvg } from '../src/plots/render-svg';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { runCli, runCliAsync } from './run-cli';

const root = mkdtempSync(join(tmpdir(), 'predict-acc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const out = (): string => join(mkdtempSync(join(root, 'run-')), 'out');

function badInput(args: string[], message: RegExp): void {
  const r = runCli(['predict-acc', ...args]);
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
}

describe('metanet predict-acc: bad input exits 2 with one line', () => {
  it('a missing zoo directory', () => badInput(['train', '--zoo', '/nonexistent/zoo', '--out', out()], /zoo directory \/nonexistent\/zoo does not exist/));
  it('an unknown method, before any zoo is read', () => badInput(['train', '--zoo', '/nonexistent/zoo', '--out', out(), '--method', 'xgb'], /--method xgb is unknown; use one of gmn, statnn, hparams, flat/));
  it('a seed count below 1', () => badInput(['train', '--zoo', '/nonexistent/zoo', '--out', out(), '--seeds', '0'], /--seeds must be an integer ≥ 1/));
  it('a bad training-size list', () => badInput(['train', '--zoo', '/nonexistent/zoo', '--out', out(), '--train-sizes', '250,x'], /--train-sizes must be an integer ≥ 1, got "x"/));
  it('a bad probe count', () => badInput(['train', '--zoo', '/nonexistent/zoo', '--out', out(), '--probes', '-3'], /--probes must be an integer ≥ 0/));
  it('an unknown GMN readout, before any zoo is read', () => badInput(['train', '--zoo', '/nonexistent/zoo', '--out', out(), '--readout', 'mean'], /--readout must be one of auto, statnn, stats-mlp, got "mean"/));
  it('a missing model directory', () => badInput(['eval', '--model', '/nonexistent/model', '--zoo', '/nonexistent/zoo'], /model directory \/nonexistent\/model does not exist/));
  it('a directory that is not a saved predictor', () => badInput(['eval', '--model', mkdtempSync(join(root, 'not-a-model-')), '--zoo', '/nonexistent/zoo'], /has no manifest.json/));
});

describe('accuracy-prediction plots', () => {
  it('render to SVG in Node, with their titles and one mark per test net', async () => {
    const points = [0.2, 0.5, 0.9].map((t, i) => ({ method: 'gmn', setting: 'final' as const, seed: 0, id: `n${i}`, trueAcc: t, predicted: t + 0.05 }));
    const scatter = await renderSvg(predictedVsTrueSpec(points));
    expect(scatter.startsWith('<svg')).toBe(true);
    expect(scatter).toContain('Predicted vs true test accuracy');
    expect(scatter.match(/role-mark/g)?.length ?? 0).toBeGreaterThan(0);
    const curve = await renderSvg(tauVsSizeSpec([250, 500, 1000].map((n, i) => ({ method: 'statnn', trainNets: n, tau: { mean: 0.6 + 0.1 * i, std: 0.01 }, r2: { mean: 0.5, std: 0 } }))));
    expect(curve).toContain('training nets');
    expect(curve).toContain('Kendall τ');
  });
});

describe('metanet predict-acc train --probes', () => {
  it('fits the GMN with probe node features, stores those fits apart (by probes and readout), and saves a GMN that reads them', async () => {
    const zoo = join(mkdtempSync(join(root, 'zoo-')), 'zoo');
    const built = await runCliAsync(['zoo', 'build', '--preset', 'tiny', '--out', zoo, '--runs', '16', '--workers', '0', '--json']);
    expect(built.status, built.stderr).toBe(0);
    const dir = out();
    const r = await runCliAsync(['predict-acc', 'train', '--zoo', zoo, '--out', dir, '--method', 'gmn', '--seeds', '1', '--epochs', '1', '--probes', '3', '--no-plots', '--json']);
    expect(r.status, r.stderr).toBe(0);
    // The default readout is auto: each GMN seed says which readout it kept on val τ.
    const rows = (JSON.parse(r.stdout) as { rows: Array<{ method: string; seeds: Array<{ choice?: string }> }> }).rows;
    expect(['statnn', 'stats-mlp']).toContain(rows.find((row) => row.method === 'gmn')!.seeds[0]!.choice);
    expect(existsSync(join(dir, 'fits'))).toBe(false);
    expect(existsSync(join(dir, 'fits-probes3'))).toBe(false);
    expect(readdirSync(join(dir, 'fits-probes3-auto')).length).toBeGreaterThan(0);
    const model = join(dir, 'models', readdirSync(join(dir, 'models'))[0]!);
    const found = readdirSync(model, { recursive: true }).map(String).find((f) => f.endsWith('manifest.json') && !f.includes('readout'))!;
    const manifest = JSON.parse(readFileSync(join(model, found), 'utf8')) as { config: { features: { nodeExtra?: number } }; meta: { predictor: { scaling: { probes?: { count: number } } } } };
    expect(manifest.config.features.nodeExtra).toBe(4);
    expect(manifest.meta.predictor.scaling.probes?.count).toBe(3);
  }, 300_000);
});
