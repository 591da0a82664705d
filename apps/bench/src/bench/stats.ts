/** Mean ± sample standard deviation over seeds, the form every bench table reports. */
export interface Stat {
  mean: number;
  std: number;
  n: number;
}

/** Mean and sample standard deviation (n − 1; 0 for one value). */
export function stat(values: readonly number[]): Stat {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN, n: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(variance), n };
}

/** `12.34 ± 0.56` (or `12.34` for one seed), with an optional gap in parentheses: `12.34 ± 0.56 (1.20)`. */
export function formatStat(s: Stat | undefined, digits = 2, gap?: number): string {
  if (!s || s.n === 0 || !Number.isFinite(s.mean)) return '—';
  const base = s.n > 1 ? `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}` : s.mean.toFixed(digits);
  return gap === undefined ? base : `${base} (${gap.toFixed(digits)})`;
}
