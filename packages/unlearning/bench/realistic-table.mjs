// Joins `metanet gmn-unlearn eval --json` results (results.json of each --out) into one Markdown table:
// one row per model, mean ± std over the pairs of each run; the original, gold and baselines from the first run.
//   node bench/realistic-table.mjs LABEL=DIR[,LABEL=DIR…] > table.md
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const runs = (process.argv[2] ?? '').split(',').filter(Boolean).map((s) => {
  const [label, dir] = s.split('=');
  return { label, summary: JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).summary };
});
if (runs.length === 0) {
  process.stderr.write('usage: node bench/realistic-table.mjs LABEL=DIR[,LABEL=DIR…]\n');
  process.exit(2);
}
const cols = [
  ['forget', 'forgetAcc', 1], ['retain', 'retainAcc', 1], ['test-retain', 'testRetainAcc', 1], ['LR-MIA', 'lrMia', 3],
  ['probe', 'probeAcc', 1], ['AIN', 'ain', 2], ['Avg Gap', 'avgGap', 2], ['RTE', 'rte', 4],
];
const cell = (m, key, d) => (m[key] ? `${m[key].mean.toFixed(d)} ± ${m[key].std.toFixed(d)}` : '–');
const lines = [`| model | ${cols.map((c) => c[0]).join(' | ')} |`, `|---|${cols.map(() => '---').join('|')}|`];
const all = (s) => s.rows.filter((r) => r.group === 'all');
for (const r of all(runs[0].summary).filter((r) => r.role !== 'editor')) lines.push(`| ${r.method} | ${cols.map(([, k, d]) => cell(r.metrics, k, d)).join(' | ')} |`);
for (const run of runs) for (const r of all(run.summary).filter((r) => r.role === 'editor')) lines.push(`| gmn: ${run.label} | ${cols.map(([, k, d]) => cell(r.metrics, k, d)).join(' | ')} |`);
console.log(lines.join('\n'));
