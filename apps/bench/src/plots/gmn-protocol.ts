/**
 * The GMN editor protocol's views, shared by `metanet gmn-unlearn eval` and the bench's
 * gmn-unlearning section: the Markdown tables (mean ± std over (net, class) pairs, each
 * cell's gap to gold in parentheses, SalUn style), the trade-off plot and the editor's
 * training curves (vega-lite specs for plots/render-svg.ts).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { MeanStd, ProtocolSummary, ProtocolSummaryRow } from '@metanet/unlearning';

type Key = keyof ProtocolSummaryRow['metrics'];

const COLUMNS: Array<{ key: Key; head: string; digits: number; gap?: boolean }> = [
  { key: 'forgetAcc', head: 'forget', digits: 1, gap: true },
  { key: 'retainAcc', head: 'retain', digits: 1, gap: true },
  { key: 'testForgetAcc', head: 'test-forget', digits: 1, gap: true },
  { key: 'testRetainAcc', head: 'test-retain', digits: 1, gap: true },
  { key: 'lrMia', head: 'LR-MIA', digits: 3, gap: true },
  { key: 'svcMia', head: 'SVC-MIA', digits: 3, gap: true },
  { key: 'jsToGold', head: 'JS to gold', digits: 4 },
  { key: 'probeAcc', head: 'probe', digits: 1, gap: true },
  { key: 'ain', head: 'AIN', digits: 2 },
  { key: 'avgGap', head: 'Avg Gap', digits: 2 },
  { key: 'rte', head: 'RTE', digits: 5 },
];

function cell(s: MeanStd | undefined, digits: number, gold?: MeanStd): string {
  if (!s || s.n === 0) return '—';
  const base = `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}`;
  return gold && gold.n > 0 ? `${base} (${Math.abs(s.mean - gold.mean).toFixed(digits)})` : base;
}

/** One group's table: a row per model, gaps to gold in parentheses. */
export function groupTable(rows: readonly ProtocolSummaryRow[]): string {
  const gold = rows.find((r) => r.role === 'gold');
  const lines = [`| model | ${COLUMNS.map((c) => c.head).join(' | ')} |`, `| --- | ${COLUMNS.map(() => '---:').join(' | ')} |`];
  for (const r of rows) {
    const name = r.role === 'editor' ? `**${r.method}**` : r.role === 'baseline' ? r.method : `*${r.method}*`;
    const cells = COLUMNS.map((c) => cell(r.metrics[c.key], c.digits, c.gap && r.role !== 'gold' ? gold?.metrics[c.key] : undefined));
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Every group's table, RTE per architecture family and the legend. */
export function protocolMarkdown(summary: ProtocolSummary, pairs: number): string {
  const out = [
    `Mean ± std over ${pairs} (held-out net, forget class) pairs. Accuracies and probe recoverability in %; in parentheses the gap to gold (retrained without the class by the net's own recipe).`,
    'LR-MIA = loss-attack accuracy (0.5 = indistinguishable), SVC-MIA = SalUn MIA-efficacy on D_f, JS = Jensen-Shannon to gold on D_f, probe = a linear probe on penultimate test features recovering the class, AIN = relearn steps / gold\'s (≈ 1 means deleted), Avg Gap = mean |Δ| to gold over UA, RA, TA, MIA, RTE = time / gold retrain time (the editor: one forward pass, graph building included).',
  ];
  for (const group of new Set(summary.rows.map((r) => r.group))) {
    out.push('', `**${group === 'all' ? 'all held-out nets' : group}**`, '', groupTable(summary.rows.filter((r) => r.group === group)));
  }
  if (summary.rteByFamily.length > 0) {
    out.push('', 'RTE per architecture family:', '');
    out.push('| family | model | RTE |', '| --- | --- | ---: |');
    for (const r of summary.rteByFamily) out.push(`| ${r.family} | ${r.method} | ${cell(r.rte, 5)} |`);
  }
  return out.join('\n');
}

/** Forget vs retain: the editor's curve over the scale on Δw, and every model's point (gold a large cross). */
export function tradeoffSpec(summary: ProtocolSummary, group = 'all'): TopLevelSpec {
  const curve = summary.curve.filter((c) => c.group === group).map((c) => ({ scale: c.scale, forget: c.forgetAcc.mean, retain: c.retainAcc.mean, label: `×${c.scale}` }));
  const points = summary.rows
    .filter((r) => r.group === group && r.metrics.forgetAcc && r.metrics.retainAcc)
    .map((r) => ({ method: r.method, role: r.role, forget: r.metrics.forgetAcc!.mean, retain: r.metrics.retainAcc!.mean }));
  const x = { field: 'forget', type: 'quantitative', title: 'forget accuracy on D_f (%)', scale: { zero: false } } as const;
  const y = { field: 'retain', type: 'quantitative', title: 'retain accuracy on D_r (%)', scale: { zero: false } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 420,
    height: 300,
    layer: [
      { data: { values: curve }, mark: { type: 'line', point: true, color: '#4c78a8' }, encoding: { x, y, order: { field: 'scale', type: 'quantitative' } } },
      { data: { values: curve }, mark: { type: 'text', dy: -9, fontSize: 9, color: '#4c78a8' }, encoding: { x, y, text: { field: 'label' } } },
      {
        data: { values: points },
        mark: { type: 'point', filled: true },
        encoding: {
          x,
          y,
          color: { field: 'method', type: 'nominal', title: 'model' },
          shape: { field: 'role', type: 'nominal', scale: { domain: ['original', 'gold', 'editor', 'baseline'], range: ['square', 'cross', 'diamond', 'circle'] } },
          size: { condition: { test: "datum.role === 'gold'", value: 260 }, value: 80 },
          tooltip: [{ field: 'method' }, { field: 'forget' }, { field: 'retain' }],
        },
      },
    ],
  } as TopLevelSpec;
}

/** One step of the editor's training losses, as trainEditor's history holds them. */
export interface LossStep {
  retain: number;
  forget: number;
  probe: number;
  deletion: number;
}

/** The editor's training curves: each loss term against the step, smoothed over `window` steps. */
export function trainingCurvesSpec(history: readonly LossStep[], window = 10): TopLevelSpec {
  const values: Array<{ step: number; term: string; value: number }> = [];
  const keys = ['retain', 'forget', 'probe', 'deletion'] as const;
  for (let i = 0; i < history.length; i++) {
    const from = Math.max(0, i - window + 1);
    for (const k of keys) {
      let s = 0;
      for (let j = from; j <= i; j++) s += history[j]![k];
      values.push({ step: i + 1, term: k === 'probe' ? 'probe score' : `${k} loss`, value: s / (i - from + 1) });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values },
    width: 420,
    height: 240,
    mark: { type: 'line', point: { size: 8 } },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'editor step' },
      y: { field: 'value', type: 'quantitative', title: `value (mean of the last ${window} steps)` },
      color: { field: 'term', type: 'nominal' },
    },
  } as TopLevelSpec;
}
