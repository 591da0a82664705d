/**
 * The results page body: the latest `metanet bench` output (report.md, results.json, SVG plots) copied from
 * apps/bench/results/ at build time, or a note that there are no results yet.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest directory holding a results.json: `dir` itself or one of its subdirectories. */
function latestRun(dir) {
  if (!existsSync(dir)) return undefined;
  if (existsSync(join(dir, 'results.json'))) return dir;
  const runs = readdirSync(dir)
    .map((d) => join(dir, d))
    .filter((d) => statSync(d).isDirectory() && existsSync(join(d, 'results.json')))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return runs[0];
}

/** Copies the latest run into `publicDir` and returns the Markdown that shows it. */
export function resultsMarkdown(benchResults, publicDir) {
  rmSync(publicDir, { recursive: true, force: true });
  const run = latestRun(benchResults);
  if (!run) {
    return 'No results yet: run `metanet bench` (it writes `apps/bench/results/`), then rebuild the docs.\n';
  }
  cpSync(run, publicDir, { recursive: true });
  const files = readdirSync(publicDir);
  const out = [`Copied from \`${run.slice(run.indexOf('apps/'))}\` at build time.`, ''];
  if (files.includes('report.html')) out.push('[The full HTML report](/results/report.html){target="_self"} · [results.json](/results/results.json){target="_self"}', '');
  if (files.includes('report.md')) {
    // Relative image links in report.md point at files copied next to it.
    out.push(readFileSync(join(publicDir, 'report.md'), 'utf8').replace(/\]\((?!https?:|\/)([^)]+)\)/g, '](/results/$1)'));
  } else {
    for (const svg of files.filter((f) => f.endsWith('.svg'))) out.push(`![${svg}](/results/${svg})`, '');
  }
  return `${out.join('\n')}\n`;
}
