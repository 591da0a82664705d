import { describe, expect, it } from 'vitest';
import type { ComparisonRow, ForgetRequest, ModelMetrics } from '@metanet/unlearning';
import { ALL_COLUMNS, DEFAULT_COLUMNS, parseColumns, printedTable, tableLines, terminalWidth } from '../src/metrics-table';

function metrics(forgetAcc: number, probeAuc: number, extra: Partial<ModelMetrics> = {}): ModelMetrics {
  return {
    forgetAcc, retainAcc: 90, testAcc: 80, testForgetAcc: forgetAcc, testRetainAcc: 85, UA: 100 - forgetAcc, RA: 90, TA: 80,
    lrMia: 0.6, svcMia: 0.4, entropyMia: 0.55, zrf: 0.9, jsToGold: 0.01, activationDistanceToGold: 0.2, weightDistanceToGold: 3,
    probe: { forgetAuc: probeAuc, forgetAccuracy: 0.5, retainAccuracy: 0.9 }, relearnSteps: 20, ...extra,
  };
}

const CLASS: ForgetRequest = { kind: 'class', classes: [2] };

/** Original, gold and two methods: `masked` keeps the original's probe (hides), `deleted` reaches gold's. */
function rows(maskedProbe: number): ComparisonRow[] {
  return [
    { method: 'original', metrics: metrics(95, 0.97), avgGap: 30 },
    { method: 'retrain', metrics: metrics(0, 0.8, { lrMia: 1 }), seconds: 10, rte: 1, avgGap: 0 },
    { method: 'logit-mask', metrics: metrics(0, maskedProbe, { weightDistanceToGold: 9999.86 }), seconds: 0.01, rte: 0.001, avgGap: 2 },
    { method: 'deleted', metrics: metrics(0.5, 0.81), seconds: 1, rte: 0.1, avgGap: 1 },
  ];
}

const header = (table: string): string[] => table.split('\n')[0]!.trim().split(/\s+/);

describe('parseColumns', () => {
  it('defaults to the compact set, takes all or a list, and refuses unknown names', () => {
    expect(parseColumns(undefined)).toEqual(['forget', 'retain', 'test-retain', 'SVC-MIA', 'probe-AUC', 'relearn', 'avg-gap', 'RTE']);
    expect(parseColumns('all')).toEqual(ALL_COLUMNS);
    expect(parseColumns('JS, ZRF')).toEqual(['JS', 'ZRF']);
    expect(() => parseColumns('JS,bogus')).toThrow(/--columns takes all or a comma list of forget, .*; got "JS,bogus"/);
    expect(() => parseColumns(',')).toThrow(/--columns/);
  });
});

describe('terminalWidth', () => {
  it("is the terminal's width, or 100 when stdout is not a terminal", () => {
    expect(terminalWidth({ isTTY: true, columns: 132 })).toBe(132);
    expect(terminalWidth({ isTTY: false, columns: 132 })).toBe(100);
    expect(terminalWidth({})).toBe(100);
  });
});

describe('printedTable', () => {
  it('shows the default columns in one table that fits 100 characters', () => {
    const p = printedTable(rows(0.97), CLASS, DEFAULT_COLUMNS, 100, 'retrain');
    expect(p.tables).toHaveLength(1);
    expect(header(p.tables[0]!)).toEqual(['method', ...DEFAULT_COLUMNS]);
    expect(Math.max(...p.tables[0]!.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
  });

  it('splits --columns all into stacked tables that each fit the width and together hold every column', () => {
    for (const width of [60, 100]) {
      const p = printedTable(rows(0.97), CLASS, ALL_COLUMNS, width, 'retrain');
      expect(p.tables.length).toBeGreaterThan(1);
      for (const t of p.tables) {
        expect(header(t)[0]).toBe('method');
        expect(Math.max(...t.split('\n').map((l) => l.length))).toBeLessThanOrEqual(width);
      }
      expect(p.tables.flatMap((t) => header(t).slice(1))).toEqual(ALL_COLUMNS);
    }
  });

  it('gives each printed column one legend line with its direction and gold as the target', () => {
    const p = printedTable(rows(0.97), CLASS, ALL_COLUMNS, 100, 'retrain');
    expect(p.legends).toHaveLength(ALL_COLUMNS.length);
    p.legends.forEach((line, i) => {
      expect(line.startsWith(ALL_COLUMNS[i]!)).toBe(true);
      expect(line).not.toContain('\n');
    });
    const of = (c: string): string => p.legends[ALL_COLUMNS.indexOf(c as (typeof ALL_COLUMNS)[number])]!;
    // On a class request gold's LR-MIA is the target, not 0.5.
    expect(of('LR-MIA')).toMatch(/target gold's 1\.000/);
    expect(of('LR-MIA')).toMatch(/not 0\.5/);
    for (const line of p.legends) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(of('forget')).toMatch(/UA = 100 − it.*lower is better.*target gold's 0\.0/);
    expect(of('probe-AUC')).toMatch(/target gold's 0\.800/);
    for (const c of ['JS', 'act-dist', 'ZRF', 'avg-gap', 'RTE', 'relearn']) expect(of(c)).toMatch(/better|target|deleted|known/);
    expect(of('l2-gold')).toMatch(/−1e4 bias/);
  });

  it('says 0.5 is the LR-MIA target scale only for requests where gold is not a whole-class miss', () => {
    const p = printedTable(rows(0.97), { kind: 'random', fraction: 0.1 }, ['LR-MIA', 'forget'], 100, 'retrain');
    expect(p.legends[0]).toMatch(/0\.5 = indistinguishable/);
    expect(p.legends[1]).toMatch(/not 0: gold generalises/);
  });

  it('claims a method hides the class only when its probe is nearer the original than gold', () => {
    const hides = printedTable(rows(0.97), CLASS, DEFAULT_COLUMNS, 100, 'retrain');
    expect(hides.claims).toHaveLength(1);
    expect(hides.claims[0]).toBe("logit-mask hides, not deletes: probe-AUC 0.970 is nearer the original's 0.970 than gold's 0.800");
    // The table that misled: gold's probe 0.964 against logit-mask's 0.972 with the original close by says nothing.
    const close = printedTable(
      [
        { method: 'original', metrics: metrics(95, 0.975) },
        { method: 'retrain', metrics: metrics(0, 0.964) },
        { method: 'logit-mask', metrics: metrics(0, 0.972) },
      ],
      CLASS, DEFAULT_COLUMNS, 100, 'retrain',
    );
    expect(close.claims).toEqual([]);
    expect(printedTable(rows(0.82), CLASS, DEFAULT_COLUMNS, 100, 'retrain').claims).toEqual([]);
    expect(tableLines(hides).at(-1)).toBe(hides.claims[0]);
  });
});

describe('request kinds’ own columns', () => {
  const feature: ForgetRequest = { kind: 'feature', feature: 'watermark', class: 3, fraction: 0.6, patch: { size: 3, value: 2.5, position: 'top-left' } };
  const withFeature = (gap: number, mass: number): ModelMetrics => metrics(100, 0.9, { feature: { accuracyGap: gap, attributionMass: mass, maskShare: 0.011 } });

  it('a feature request adds test-forget, feat-gap and feat-attr to the default set, with legends naming gold as the target', () => {
    const r: ComparisonRow[] = [
      { method: 'original', metrics: withFeature(18.7, 0.183) },
      { method: 'retrain', metrics: withFeature(-0.4, 0.016), seconds: 4, rte: 1, avgGap: 0 },
    ];
    const p = printedTable(r, feature, DEFAULT_COLUMNS, 120, 'retrain');
    expect(p.shown.slice(-3)).toEqual(['test-forget', 'feat-gap', 'feat-attr']);
    expect(p.legends.find((l) => l.startsWith('feat-gap'))).toMatch(/clean − stamped accuracy.*lower is better; target gold's -0\.4/);
    expect(p.legends.find((l) => l.startsWith('test-forget'))).toMatch(/with the feature stamped/);
    // A class request keeps the compact set: the kind columns have no values there.
    expect(printedTable(rows(0.97), CLASS, DEFAULT_COLUMNS, 100, 'retrain').shown).not.toContain('feat-gap');
    expect(parseColumns('forget,concept-AUC')).toEqual(['forget', 'concept-AUC']);
  });
});
