// Table, merged JSON and trade-off SVG for bench/gold-protocol.mjs: the baselines' rows come
// from the first editor's run (the only one that runs them), one `gmn` row per editor.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const COLUMNS = [
  ['forgetAcc', 'forget acc', 1], ['retainAcc', 'retain acc', 1], ['testForgetAcc', 'test-forget', 1], ['testRetainAcc', 'test-retain', 1],
  ['probeAcc', 'probe acc', 1], ['probeAuc', 'probe AUC', 3], ['lrMia', 'LR-MIA', 3], ['relearnSteps', 'relearn steps', 0], ['ain', 'AIN', 2], ['avgGap', 'Avg Gap', 2], ['rte', 'RTE', 4],
];
const fmt = (m, d) => (m && Number.isFinite(m.mean) ? `${m.mean.toFixed(d)} ± ${m.std.toFixed(d)}` : '–');
const meanStd = (v) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean: m, std: Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length) };
};

/** Rows: [{ model, metrics, weightToGold, featureToGold, curve? }]. */
function collect(dir, names) {
  const runs = names.map((n) => JSON.parse(readFileSync(join(dir, `${n}.json`), 'utf8')));
  const all = (run) => run.summary.rows.filter((r) => r.group === 'all');
  const rows = [];
  const first = runs[0];
  // The class-specific target's distance (`weightToSpecific`) is in the runs made since it was added only.
  const specific = (run, side) => (run?.distances[0]?.weightToSpecific ? { weightToSpecific: meanStd(run.distances.map((d) => d.weightToSpecific[side])) } : {});
  const measured = runs.find((run) => run.distances[0]?.weightToSpecific);
  const dist = (run, side) => ({ weightToGold: meanStd(run.distances.map((d) => d.weightToGold[side])), featureToGold: meanStd(run.distances.map((d) => d.featureToGold[side])), ...specific(run, side) });
  for (const r of all(first).filter((x) => x.role !== 'editor')) {
    const own = r.method === 'original' ? { ...dist(first, 'original'), ...specific(measured, 'original') } : r.method === 'gold' ? { weightToGold: { mean: 0, std: 0 }, featureToGold: { mean: 0, std: 0 }, ...specific(measured, 'gold') } : {};
    rows.push({ model: r.method, metrics: r.metrics, ...own });
  }
  for (const run of runs) {
    const r = all(run).find((x) => x.role === 'editor');
    rows.push({ model: `gmn:${run.editor}`, metrics: r.metrics, ...dist(run, 'edited'), loss: run.loss, budget: run.budget, // A run at a fixed scale on Δw is a point: its curve is the editor's own, drawn by its scale-1 run.
      ...((run.scale ?? 1) === 1 && { curve: run.summary.curve.filter((c) => c.group === 'all') }) });
  }
  return { rows, pairs: first.pairs.length };
}

function markdown(rows, pairs) {
  const head = `| model | ${COLUMNS.map((c) => c[1]).join(' | ')} | weight dist to gold | feature MSE to gold | weight dist to class-specific |`;
  const sep = `|${'---|'.repeat(COLUMNS.length + 4)}`;
  const body = rows.map((r) => `| ${r.model} | ${COLUMNS.map(([k, , d]) => fmt(r.metrics[k], d)).join(' | ')} | ${fmt(r.weightToGold, 3)} | ${fmt(r.featureToGold, 2)} | ${fmt(r.weightToSpecific, 3)} |`);
  return [`Mean ± std over ${pairs} held-out (net, class) pairs.`, '', head, sep, ...body].join('\n');
}

function svg(rows) {
  const W = 560, H = 420, L = 60, B = 50;
  const xs = (v) => L + (v / 100) * (W - L - 20);
  const ys = (v) => H - B - (v / 100) * (H - B - 20);
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`, `<rect width="${W}" height="${H}" fill="white"/>`];
  parts.push(`<line x1="${L}" y1="${H - B}" x2="${W - 20}" y2="${H - B}" stroke="black"/><line x1="${L}" y1="20" x2="${L}" y2="${H - B}" stroke="black"/>`);
  for (let t = 0; t <= 100; t += 20) parts.push(`<text x="${xs(t)}" y="${H - B + 15}" text-anchor="middle">${t}</text><text x="${L - 6}" y="${ys(t) + 4}" text-anchor="end">${t}</text>`);
  parts.push(`<text x="${(L + W) / 2}" y="${H - 12}" text-anchor="middle">forget accuracy (%)</text><text transform="translate(16 ${(H - B) / 2}) rotate(-90)" text-anchor="middle">retain accuracy (%)</text>`);
  let legend = 0;
  const label = (text, color) => parts.push(`<text x="${W - 150}" y="${30 + 14 * legend++}" fill="${color}">${text}</text>`);
  rows.forEach((r, i) => {
    const color = colors[i % colors.length];
    if (r.curve) {
      const pts = r.curve.map((c) => `${xs(c.forgetAcc.mean).toFixed(1)},${ys(c.retainAcc.mean).toFixed(1)}`).join(' ');
      parts.push(`<polyline points="${pts}" fill="none" stroke="${color}"/>`);
      for (const c of r.curve) parts.push(`<circle cx="${xs(c.forgetAcc.mean).toFixed(1)}" cy="${ys(c.retainAcc.mean).toFixed(1)}" r="2.5" fill="${color}"/>`);
      label(`${r.model} (Δw scale 0–1.5)`, color);
    } else {
      parts.push(`<rect x="${(xs(r.metrics.forgetAcc.mean) - 4).toFixed(1)}" y="${(ys(r.metrics.retainAcc.mean) - 4).toFixed(1)}" width="8" height="8" fill="${color}"/>`);
      label(r.model, color);
    }
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Writes table.md, results.json and tradeoff.svg to `dir` from `dir/NAME.json` per editor. */
export function writeTable(dir, names) {
  const { rows, pairs } = collect(dir, names);
  writeFileSync(join(dir, 'table.md'), `${markdown(rows, pairs)}\n`);
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify({ pairs, rows }, null, 1)}\n`);
  writeFileSync(join(dir, 'tradeoff.svg'), `${svg(rows)}\n`);
  process.stdout.write(`${markdown(rows, pairs)}\n`);
}
