import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { predictedVsTrueSpec, tauVsSizeSpec } from '../src/plots/predict-acc';
import { renderSvg } from '../src/plots/render-svg';
import { runCli } from './run-cli';

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
