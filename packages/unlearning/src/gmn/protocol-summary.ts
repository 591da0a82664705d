/**
 * Summaries of the editor's protocol: mean ± std over (net, class) pairs per held-out group
 * and model, RTE per architecture family, and the trade-off curve averaged per scale.
 */
import type { PairMetrics, ProtocolPair, ProtocolRole } from './protocol';

/** Mean and population std over pairs, and how many finite values they came from. */
export interface MeanStd {
  mean: number;
  std: number;
  n: number;
}

/** One model's summary in one group: every metric as mean ± std. */
export interface ProtocolSummaryRow {
  group: string;
  method: string;
  role: ProtocolRole;
  metrics: Partial<Record<keyof PairMetrics, MeanStd>>;
}

/** What `summarizeProtocol` returns. */
export interface ProtocolSummary {
  /** Group 'all' first, then each held-out group. */
  rows: ProtocolSummaryRow[];
  /** Mean RTE per architecture family and model (models with a time only). */
  rteByFamily: Array<{ family: string; method: string; rte: MeanStd }>;
  /** The editor's curve averaged over pairs, per group and scale. */
  curve: Array<{ group: string; scale: number; forgetAcc: MeanStd; retainAcc: MeanStd }>;
}

/** Mean ± population std of the finite values (NaN mean with n = 0 when none is). */
export function meanStd(values: readonly (number | undefined)[]): MeanStd {
  const v = values.filter((x): x is number => x !== undefined && Number.isFinite(x));
  if (v.length === 0) return { mean: NaN, std: NaN, n: 0 };
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean: m, std: Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length), n: v.length };
}

const KEYS: ReadonlyArray<keyof PairMetrics> = ['forgetAcc', 'retainAcc', 'testForgetAcc', 'testRetainAcc', 'lrMia', 'svcMia', 'jsToGold', 'probeAcc', 'probeAuc', 'avgGap', 'relearnSteps', 'ain', 'seconds', 'rte'];

function groupRows(group: string, pairs: readonly ProtocolPair[]): ProtocolSummaryRow[] {
  const order: Array<{ method: string; role: ProtocolRole }> = [];
  for (const p of pairs) for (const r of p.rows) if (!order.some((o) => o.method === r.method)) order.push({ method: r.method, role: r.role });
  return order.map(({ method, role }) => {
    const rows = pairs.flatMap((p) => p.rows.filter((r) => r.method === method).map((r) => r.metrics));
    const metrics: ProtocolSummaryRow['metrics'] = {};
    for (const k of KEYS) {
      const s = meanStd(rows.map((m) => m[k]));
      if (s.n > 0) metrics[k] = s;
    }
    return { group, method, role, metrics };
  });
}

/** Summarises the pairs; see the module doc. */
export function summarizeProtocol(pairs: readonly ProtocolPair[]): ProtocolSummary {
  const groups = [...new Set(pairs.map((p) => p.group))];
  const rows = [...groupRows('all', pairs), ...(groups.length > 1 ? groups.flatMap((g) => groupRows(g, pairs.filter((p) => p.group === g))) : [])];
  const rteByFamily: ProtocolSummary['rteByFamily'] = [];
  for (const family of new Set(pairs.map((p) => p.family))) {
    const fp = pairs.filter((p) => p.family === family);
    for (const r of groupRows(family, fp)) if (r.metrics.rte) rteByFamily.push({ family, method: r.method, rte: r.metrics.rte });
  }
  const curve: ProtocolSummary['curve'] = [];
  for (const group of ['all', ...(groups.length > 1 ? groups : [])]) {
    const gp = pairs.filter((p) => group === 'all' || p.group === group);
    const scales = [...new Set(gp.flatMap((p) => p.curve.map((c) => c.scale)))].sort((a, b) => a - b);
    for (const scale of scales) {
      const pts = gp.flatMap((p) => p.curve.filter((c) => c.scale === scale));
      curve.push({ group, scale, forgetAcc: meanStd(pts.map((c) => c.forgetAcc)), retainAcc: meanStd(pts.map((c) => c.retainAcc)) });
    }
  }
  return { rows, rteByFamily, curve };
}
