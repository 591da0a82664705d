/**
 * Writes report.md, report.html and results.json from a run's results. The HTML is the
 * Markdown rendered by marked, with each plot's SVG inlined in place of its image link, so
 * the one file opens offline with the same tables.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { marked } from 'marked';
import { writeFileAtomic } from '@metanet/data/atomic';
import type { BenchResults, SectionResult } from './results';

const STATUS: Record<SectionResult['status'], string> = { done: '', partial: ' (partial: some units failed)', pending: ' (pending)', 'not-run': ' (not run)' };

function environmentTable(r: BenchResults): string {
  const e = r.environment;
  const versions = Object.entries(e.versions).map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    '| | |',
    '| --- | --- |',
    `| machine | ${e.cpus} × ${e.cpuModel}, ${e.memoryGB} GB, ${e.platform} |`,
    `| backend | ${e.backend} (Node ${e.node}) |`,
    `| dataset | ${r.dataset.description} |`,
    `| profile | ${r.settings.profile}, seeds ${r.settings.seeds}, methods ${r.settings.methods.join(', ')} |`,
    `| wall time | ${r.wallSeconds.toFixed(0)} s this invocation (${r.sections.filter((s) => s.wallSeconds !== undefined).map((s) => `${s.name} ${(s.wallSeconds ?? 0).toFixed(0)} s`).join(', ')}) |`,
    `| versions | ${versions} |`,
    `| generated | ${e.generatedAt} |`,
  ].join('\n');
}

function sectionMarkdown(s: SectionResult, body: string | undefined, index: number): string {
  const out = [`## ${index}. ${s.name}: ${s.title}${STATUS[s.status]}`, ''];
  if (s.note) out.push(s.note, '');
  if (s.units) out.push(`_${s.units.total} units (${s.units.reused} reused from an earlier run, ${s.units.failed} failed), ${s.wallSeconds?.toFixed(1) ?? '–'} s._`, '');
  if (body) out.push(body, '');
  for (const p of s.plots ?? []) out.push(`![${p.title}](${p.file})`, '');
  if (s.failed && s.failed.length > 0) out.push('Failed units:', '', ...s.failed.map((f) => `- \`${f.id}\`: ${f.error.replace(/\|/g, '\\|')}`), '');
  return out.join('\n');
}

/** report.md: the header, the environment, then every section (pending and not-run ones included). */
export function reportMarkdown(r: BenchResults, bodies: ReadonlyMap<string, string>): string {
  return [
    '# metanet bench report',
    '',
    `${r.settings.profile} run on ${r.dataset.description}.${r.dataset.notice ? ` ${r.dataset.notice}.` : ''}`,
    '',
    environmentTable(r),
    '',
    ...r.sections.map((s, i) => sectionMarkdown(s, bodies.get(s.name), i + 1)),
  ].join('\n');
}

const CSS = `body{font:15px/1.5 system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:13px}th,td{border:1px solid #ccc;padding:3px 8px}
td{text-align:right}td:first-child{text-align:left}figure{margin:1em 0}code{font-size:12px}`;

/** report.html: the Markdown as HTML, plots inline, no external resources. */
export function reportHtml(markdown: string, out: string): string {
  const body = (marked.parse(markdown, { async: false }) as string).replace(/<img src="(plots\/[^"]+\.svg)" alt="([^"]*)">/g, (_m, file: string, alt: string) =>
    `<figure>${readFileSync(join(out, file), 'utf8').replace(/^<\?xml[^>]*>\s*/, '')}<figcaption>${alt}</figcaption></figure>`,
  );
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>metanet bench report</title><style>${CSS}</style></head><body>\n${body}</body></html>\n`;
}

/** Writes the three report files atomically. */
export function writeReports(out: string, results: BenchResults, bodies: ReadonlyMap<string, string>): void {
  const md = reportMarkdown(results, bodies);
  writeFileAtomic(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileAtomic(join(out, 'report.md'), md);
  writeFileAtomic(join(out, 'report.html'), reportHtml(md, out));
}
