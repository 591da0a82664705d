/** Vega-Lite specs of the accuracy-prediction figures: predicted vs true accuracy, τ against training-set size. */
import type { TopLevelSpec } from 'vega-lite';
import type { PredictionPoint, SizePoint } from '@metanet/zoo';

/** One point per test net and method (first seed), with the y = x line. */
export function predictedVsTrueSpec(points: readonly PredictionPoint[]): TopLevelSpec {
  const firstSeed = Math.min(...points.map((p) => p.seed));
  const values = points.filter((p) => p.seed === firstSeed && p.setting === 'final').map((p) => ({ method: p.method, trueAcc: p.trueAcc, predicted: p.predicted }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Predicted vs true test accuracy (test nets)',
    width: 320,
    height: 320,
    layer: [
      {
        data: { values: [{ a: 0, b: 0 }, { a: 1, b: 1 }] },
        mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
        encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, opacity: 0.6, size: 20 },
        encoding: {
          x: { field: 'trueAcc', type: 'quantitative', title: 'true accuracy', scale: { domain: [0, 1] } },
          y: { field: 'predicted', type: 'quantitative', title: 'predicted accuracy', scale: { domain: [0, 1] } },
          color: { field: 'method', type: 'nominal' },
        },
      },
    ],
  };
}

/** τ (mean ± std over seeds) against the number of training nets, one line per method. */
export function tauVsSizeSpec(curve: readonly SizePoint[]): TopLevelSpec {
  const values = curve.map((p) => ({ method: p.method, trainNets: p.trainNets, tau: p.tau.mean, lo: p.tau.mean - p.tau.std, hi: p.tau.mean + p.tau.std }));
  const x = { field: 'trainNets', type: 'quantitative', title: 'training nets', scale: { type: 'log' } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Kendall τ on the test nets against training-set size',
    width: 360,
    height: 260,
    data: { values },
    layer: [
      { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'tau', type: 'quantitative', title: 'Kendall τ' }, color: { field: 'method', type: 'nominal' } } },
      { mark: 'errorbar', encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: { field: 'method', type: 'nominal' } } },
    ],
  };
}
