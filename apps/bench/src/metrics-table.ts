/**
 * The comparison table as the CLI prints it: a compact default column set that
 * fits the terminal, `--columns all|LIST` for the rest, and one legend line per
 * printed column saying which way is better and what the target is for this
 * request. The full table is 173–277 characters wide and wraps on a normal
 * terminal; the legends exist because a reader cannot guess that LR-MIA's
 * target on a class request is gold's 1.0 and not 0.5.
 */
import { formatMetricsTable, type MetricsRow } from '@metanet/metrics';
import { comparisonTableRows, type ComparisonRow, type ForgetRequest } from '@metanet/unlearning';
import { CliUsageError } from './errors';

/** Every column `comparisonTableRows` produces, in print order. */
export const ALL_COLUMNS = [
  'forget', 'retain', 'test', 'test-forget', 'test-retain', 'LR-MIA', 'SVC-MIA', 'ent-MIA', 'JS', 'act-dist', 'l2-gold', 'ZRF',
  'probe-AUC', 'probe-acc', 'relearn', 'avg-gap', 'seconds', 'RTE',
] as const;

/** Columns of one request kind's own measures (feature reliance, the concept probe). */
export const KIND_COLUMN_NAMES = ['feat-gap', 'feat-attr', 'concept-AUC'] as const;

/** Columns the default set and `all` gain for a request kind: the kind's own measures. */
const KIND_COLUMNS: Partial<Record<ForgetRequest['kind'], readonly string[]>> = {
  feature: ['test-forget', 'feat-gap', 'feat-attr'],
  concept: ['concept-AUC'],
};

/** The columns to print for `request`: the default set and `all` gain the kind's own measures; an explicit list stays as given. */
export function columnsFor(columns: readonly string[], request: ForgetRequest): readonly string[] {
  if (columns !== DEFAULT_COLUMNS && columns !== ALL_COLUMNS) return columns;
  const extra = (KIND_COLUMNS[request.kind] ?? []).filter((c) => !columns.includes(c));
  return [...columns, ...extra];
}

/** forget, retain, test-retain, MIA, probe, relearn, Avg Gap, RTE. */
export const DEFAULT_COLUMNS: readonly string[] = ['forget', 'retain', 'test-retain', 'SVC-MIA', 'probe-AUC', 'relearn', 'avg-gap', 'RTE'];

/** Parses `--columns`: undefined → the default set, `all`, or a comma list of names from ALL_COLUMNS. */
export function parseColumns(raw: string | undefined): readonly string[] {
  if (raw === undefined) return DEFAULT_COLUMNS;
  if (raw.trim() === 'all') return ALL_COLUMNS;
  const names = raw.split(',').map((c) => c.trim()).filter(Boolean);
  const known: readonly string[] = [...ALL_COLUMNS, ...KIND_COLUMN_NAMES];
  const unknown = names.filter((c) => !known.includes(c));
  if (names.length === 0 || unknown.length > 0) {
    throw new CliUsageError(`--columns takes all or a comma list of ${known.join(', ')}; got "${raw}"`);
  }
  return names;
}

/** The width to fit: the terminal's, or 100 when stdout is not a terminal. */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  return stream.isTTY && stream.columns && stream.columns > 0 ? stream.columns : 100;
}

const fmt = (v: number | undefined, digits = 3): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));

/** One legend line per column: what it measures, the better direction, and the target for this request kind. */
function legend(column: string, request: ForgetRequest, gold: MetricsRow | undefined): string {
  const isClass = request.kind === 'class';
  const isFeature = request.kind === 'feature';
  // With a gold row the target is its number; without one, say what gold would be compared on.
  const target = (key: string, digits = 3): string => (gold ? `target gold's ${fmt(gold[key] as number | undefined, digits)}` : "target gold's value (pass --gold)");
  const text: Record<string, string> = {
    forget: `accuracy % on the forget set D_f (UA = 100 − it); ${isClass ? 'lower is better' : 'not 0: gold generalises to it'}; ${target('forget', 1)}`,
    retain: `accuracy % on the retain set; higher is better; ${target('retain', 1)}`,
    test: `accuracy % on the test set${isClass ? ", forgotten class included" : ''}; ${target('test', 1)}`,
    'test-forget': isFeature
      ? `accuracy % on other classes' test images with the feature stamped; ${target('test-forget', 1)}`
      : `accuracy % on the forgotten classes' test images; lower is better; ${target('test-forget', 1)}`,
    'test-retain': isFeature
      ? `accuracy % on other classes' clean test images; higher is better; ${target('test-retain', 1)}`
      : `accuracy % on the kept classes' test images; higher is better; ${target('test-retain', 1)}`,
    'LR-MIA': `loss attack accuracy, D_f vs unseen; ${isClass ? 'gold ≈ 1 on a class, not 0.5' : '0.5 = indistinguishable'}; ${target('LR-MIA')}`,
    'SVC-MIA': `D_f share a confidence attack calls unseen; higher = more forgotten; ${target('SVC-MIA')}`,
    'ent-MIA': `entropy attack accuracy, D_f vs unseen; ${target('ent-MIA')}`,
    JS: "Jensen-Shannon divergence from gold's outputs on D_f (nats); lower is better; target 0",
    'act-dist': "distance from gold's softmax on D_f; lower is better; target 0",
    'l2-gold': 'ℓ2 weight distance to gold; lower = closer; logit-mask scores ~1e4 from its −1e4 bias',
    ZRF: `similarity on D_f to a random net's outputs, in [0, 1]; ${target('ZRF')}`,
    'probe-AUC': `probe AUC for forgotten classes on features; lower = more deleted; ${target('probe-AUC')}`,
    'probe-acc': `probe accuracy % on forgotten classes; lower = more deleted; ${target('probe-acc', 1)}`,
    'feat-gap': `clean − stamped accuracy % on other classes: reliance on the feature; lower is better; ${target('feat-gap', 1)}`,
    'feat-attr': `share of gradient×input on the feature's pixels, in [0, 1]; lower is better; ${target('feat-attr')}`,
    'concept-AUC': `AUC of a linear probe for concept membership on features; lower = more deleted; ${target('concept-AUC')}`,
    relearn: `steps to relearn D_f (cap 100); below gold = still known; ${target('relearn', 0)}`,
    'avg-gap': 'mean |Δ| to gold over UA, RA, TA, SVC-MIA (points); lower is better; target 0',
    seconds: "the method's wall-clock seconds (gold: its retraining time)",
    RTE: "run time ÷ gold's retraining time; lower is better; gold = 1",
  };
  return `${column.padEnd(11)} ${text[column] ?? ''}`.trimEnd();
}

export interface PrintedTable {
  /** One or more tables (each with the method column) that together show every column and each fit the width. */
  tables: string[];
  /** Columns shown: those asked for that have a value in some row. */
  shown: string[];
  legends: string[];
  /** Sentences the numbers in the table support (e.g. "logit-mask hides, not deletes: ..."). */
  claims: string[];
}

/** The tables, the legends and the supported claims, as printed lines. */
export function tableLines(p: PrintedTable): string[] {
  return [p.tables.join('\n\n'), '', ...p.legends, ...p.claims];
}

const widest = (t: string): number => Math.max(...t.split('\n').map((l) => l.length));

/**
 * Renders the rows with the asked columns (those with no value in any row are
 * dropped). A table wider than `width` is split into stacked tables, each with
 * the method column, so no column is lost and no line wraps.
 */
export function printedTable(rows: readonly ComparisonRow[], request: ForgetRequest, columns: readonly string[], width: number, goldLabel: string): PrintedTable {
  const flat = comparisonTableRows(rows);
  const shown = columnsFor(columns, request).filter((c) => flat.some((r) => r[c] !== undefined));
  const render = (cols: string[]): string => formatMetricsTable(flat, { columns: cols, format: 'plain', digits: 3 });
  const tables: string[] = [];
  let group: string[] = [];
  for (const c of shown) {
    if (group.length > 0 && widest(render([...group, c])) > width) {
      tables.push(render(group));
      group = [];
    }
    group.push(c);
  }
  if (group.length > 0 || tables.length === 0) tables.push(render(group));
  const gold = flat.find((r) => r.method === goldLabel);
  return { tables, shown, legends: shown.map((c) => legend(c, request, gold)), claims: supportedClaims(flat, goldLabel, request) };
}

/**
 * Gold's probe must sit this far below the original's before "nearer the
 * original" means anything: a probe AUC on a few hundred test images moves by
 * about 0.01 between seeds, and the table that prompted this check had gold at
 * 0.964 and logit-mask at 0.972.
 */
const MIN_PROBE_SEPARATION = 0.03;

/**
 * Claims about filtering vs deletion, printed only when this table's numbers
 * back them: a method "filters" when its forget accuracy is at most gold's while
 * its probe AUC is at least halfway from gold's to the original's.
 */
function supportedClaims(flat: readonly MetricsRow[], goldLabel: string, request: ForgetRequest): string[] {
  if (request.kind !== 'class') return [];
  const num = (r: MetricsRow | undefined, k: string): number | undefined => (typeof r?.[k] === 'number' ? (r[k] as number) : undefined);
  const original = flat.find((r) => r.method === 'original');
  const gold = flat.find((r) => r.method === goldLabel);
  const og = num(original, 'probe-AUC');
  const gg = num(gold, 'probe-AUC');
  const gf = num(gold, 'forget');
  if (og === undefined || gg === undefined || gf === undefined || og - gg < MIN_PROBE_SEPARATION) return [];
  const claims: string[] = [];
  for (const r of flat) {
    if (r.method === 'original' || r.method === goldLabel) continue;
    const p = num(r, 'probe-AUC');
    const f = num(r, 'forget');
    if (p === undefined || f === undefined) continue;
    if (f <= gf + 1 && p >= (og + gg) / 2) {
      claims.push(`${r.method} hides, not deletes: probe-AUC ${p.toFixed(3)} is nearer the original's ${og.toFixed(3)} than gold's ${gg.toFixed(3)}`);
    }
  }
  return claims;
}
