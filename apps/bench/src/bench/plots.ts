/**
 * The report's plots: vega-lite specs with their data inline, rendered to SVG by the one renderer
 * (`plots/render-svg.ts`: vega's headless View, no DOM, no canvas), so every mark comes from the library.
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from '../plots/render-svg';
import type { PlotSpec } from './section';
import type { ProtocolData } from './sections/protocol';

const WIDTH = 260;
const HEIGHT = 220;

function points(d: ProtocolData) {
  return d.requests.flatMap((req) =>
    req.rows.map((r) => ({
      request: req.label,
      method: r.method,
      role: r.role,
      UA: r.UA.mean,
      TA: r.TA.mean,
      MIA: r.MIA.mean,
      avgGap: r.avgGap?.mean ?? null,
      seconds: r.seconds?.mean ?? null,
    })),
  );
}

/** Forget (UA) against utility (TA), one point per method, gold drawn as a larger cross. */
export function forgetUtilityPlot(section: string, d: ProtocolData): PlotSpec {
  return {
    name: `${section}-forget-utility`,
    title: `${section}: forgetting vs utility (gold = cross)`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      data: { values: points(d) },
      facet: { column: { field: 'request', type: 'nominal', title: null } },
      spec: {
        width: WIDTH,
        height: HEIGHT,
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x: { field: 'UA', type: 'quantitative', title: 'UA: forgetting (%)', scale: { zero: false } },
          y: { field: 'TA', type: 'quantitative', title: 'TA: test accuracy (%)', scale: { zero: false } },
          color: { field: 'method', type: 'nominal' },
          shape: { field: 'role', type: 'nominal', scale: { domain: ['original', 'gold', 'method'], range: ['square', 'cross', 'circle'] } },
          size: { condition: { test: "datum.role === 'gold'", value: 220 }, value: 70 },
          tooltip: [{ field: 'method' }, { field: 'UA' }, { field: 'TA' }],
        },
      },
    },
  };
}

/** SVC MIA-efficacy per method, grouped by request, with gold's bar beside the methods'. */
export function miaPlot(section: string, d: ProtocolData): PlotSpec {
  return {
    name: `${section}-mia`,
    title: `${section}: MIA-efficacy per method`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      data: { values: points(d) },
      width: { step: 12 },
      height: HEIGHT,
      mark: 'bar',
      encoding: {
        x: { field: 'method', type: 'nominal', title: null, sort: null },
        xOffset: { field: 'request', type: 'nominal' },
        y: { field: 'MIA', type: 'quantitative', title: 'SVC MIA-efficacy on D_f (%)' },
        color: { field: 'request', type: 'nominal' },
      },
    },
  };
}

/** Avg Gap against run time on a log axis: the cost of getting close to gold. */
export function scoreRuntimePlot(section: string, d: ProtocolData): PlotSpec {
  return {
    name: `${section}-score-runtime`,
    title: `${section}: Avg Gap vs run time (log)`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      data: { values: points(d).filter((p) => p.role === 'method' && p.seconds !== null && p.seconds > 0 && p.avgGap !== null) },
      width: WIDTH * 1.5,
      height: HEIGHT,
      mark: { type: 'point', filled: true, size: 70 },
      encoding: {
        x: { field: 'seconds', type: 'quantitative', title: 'run time (s, log)', scale: { type: 'log' } },
        y: { field: 'avgGap', type: 'quantitative', title: 'Avg Gap to gold (lower is better)' },
        color: { field: 'method', type: 'nominal' },
        shape: { field: 'request', type: 'nominal' },
      },
    },
  };
}

/** Histogram of per-example ε, one colour per method. */
export function epsilonHistogram(values: Array<{ method: string; epsilon: number }>): PlotSpec {
  return {
    name: 'epsilon-histogram',
    title: 'epsilon: per-example ε (∞ drawn at the right edge)',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      data: { values },
      width: WIDTH * 1.5,
      height: HEIGHT,
      mark: { type: 'bar', opacity: 0.7 },
      encoding: {
        x: { field: 'epsilon', type: 'quantitative', bin: { step: 0.5 }, title: 'ε (bins of 0.5, as the challenge scores them)' },
        y: { aggregate: 'count', type: 'quantitative', title: 'forget examples', stack: null },
        color: { field: 'method', type: 'nominal' },
      },
    },
  };
}

/** The zoo's final nets per test-accuracy tenth (the counts of `zooStats`' histogram). */
export function zooHistogramPlot(histogram: readonly number[]): PlotSpec {
  return {
    name: 'zoo-accuracy-histogram',
    title: 'zoo: test accuracy of the final nets',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      data: { values: histogram.map((count, k) => ({ from: k / 10, to: (k + 1) / 10, count })) },
      width: WIDTH * 1.5,
      height: HEIGHT,
      mark: 'bar',
      encoding: {
        x: { field: 'from', type: 'quantitative', bin: { binned: true, step: 0.1 }, title: 'test accuracy', scale: { domain: [0, 1] } },
        x2: { field: 'to' },
        y: { field: 'count', type: 'quantitative', title: 'final nets' },
      },
    },
  };
}
