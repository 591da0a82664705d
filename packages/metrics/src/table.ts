import { InvalidOptionError } from './errors.js';

/** One row of a results table: a method name and its metrics. */
export interface MetricsRow {
  readonly method: string;
  readonly [metric: string]: number | string | undefined;
}

/** Options of the metrics table: its columns and its format (Markdown or plain). */
export interface MetricsTableOptions {
  /** Metric columns, in order. Default: every key but `method`, in order of first appearance. */
  readonly columns?: readonly string[];
  /** 'markdown' (GitHub table, numbers right-aligned) or 'plain' (space-padded). Default 'markdown'. */
  readonly format?: 'markdown' | 'plain';
  /** Decimal places for numbers. Default 2. */
  readonly digits?: number;
}

/**
 * Renders method rows as a table for the CLI and reports. Missing values show
 * as '—'; non-finite numbers as 'n/a', so a table never prints 'NaN'.
 */
export function formatMetricsTable(rows: readonly MetricsRow[], options: MetricsTableOptions = {}): string {
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) throw new InvalidOptionError(`digits must be an integer in [0, 20], got ${digits}`);
  const format = options.format ?? 'markdown';
  if (format !== 'markdown' && format !== 'plain') throw new InvalidOptionError(`format must be 'markdown' or 'plain', got '${String(format)}'`);
  const columns = options.columns ?? [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => k !== 'method')))];
  const header = ['method', ...columns];
  const cell = (v: number | string | undefined): string =>
    v === undefined ? '—' : typeof v === 'number' ? (Number.isFinite(v) ? v.toFixed(digits) : 'n/a') : v;
  // Markdown cells escape '|' before widths are measured, so columns stay aligned.
  const escape = (s: string): string => (format === 'markdown' ? s.replace(/\|/g, '\\|') : s);
  const head = header.map(escape);
  const body = rows.map((r) => [r.method, ...columns.map((c) => cell(r[c]))].map(escape));
  // A column is numeric (right-aligned) when every present value in it is a number.
  const numeric = header.map((c, j) => j > 0 && rows.every((r) => r[c] === undefined || typeof r[c] === 'number'));
  const width = head.map((h, j) => Math.max(h.length, ...body.map((b) => b[j]!.length)));
  const pad = (s: string, j: number): string => (numeric[j] ? s.padStart(width[j]!) : s.padEnd(width[j]!));
  if (format === 'plain') {
    return [head, ...body].map((line) => line.map(pad).join('  ').trimEnd()).join('\n');
  }
  const line = (cells: string[]): string => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `| ${width.map((w, j) => (numeric[j] ? `${'-'.repeat(Math.max(w - 1, 2))}:` : '-'.repeat(Math.max(w, 3)))).join(' | ')} |`;
  return [line(head), rule, ...body.map(line)].join('\n');
}
