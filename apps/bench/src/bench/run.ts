/**
 * Runs the selected sections unit by unit on the pool, then writes plots, results.json,
 * report.md and report.html. One line per section and a bar over its units (with ETA).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sweepTempFiles, writeFileAtomic } from '@metanet/data/atomic';
import { createProgress, type Progress } from '../progress';
import { createUnitPool, type UnitPool } from './pool';
import { renderSvg } from '../plots/render-svg';
import { writeReports } from './report';
import { environment, SCHEMA_VERSION, type BenchResults, type SectionResult } from './results';
import type { Section } from './section';
import { PENDING, SECTIONS } from './sections/index';
import type { BenchSettings } from './settings';
import { readUnit, type Json, type StageOutcome, type Unit } from './units';

export interface RunOptions {
  settings: BenchSettings;
  out: string;
  workers: number;
  quiet: boolean;
  /** Section and failure lines on stderr (default: unless `quiet`); bars stay off when `quiet`. A log file wants lines, not bars. */
  lines?: boolean;
  dataset: { description: string; notice?: string };
  backend: { name: string; tfjsVersion?: string };
  /** Where units run; default a local pool of `workers` threads (`metanet bench --queue` passes a BullMQ pool). */
  pool?: UnitPool;
}

function log(o: { quiet: boolean; lines?: boolean }, line: string): void {
  if (o.lines ?? !o.quiet) process.stderr.write(`${line}\n`);
}

/**
 * Runs one stage on the pool, advancing `bar` (and `counter`) per finished unit. A queue pool's depth, active units and
 * attached workers ride along on the bar beside its ETA, as on `metanet zoo build --queue`'s bar, so a coordinator
 * waiting on an empty worker pool shows `workers 0` instead of a frozen bar.
 */
export async function runStage(pool: UnitPool, stage: readonly Unit[], bar: Progress, counter: { done: number }, onFailed?: (id: string, error: string) => void): Promise<StageOutcome> {
  let info: Record<string, number> | undefined;
  return pool.run(
    stage,
    (id, ok, error) => {
      if (!ok) onFailed?.(id, error ?? 'unknown error');
      bar.update(++counter.done, info);
    },
    (q) => {
      info = { queued: q.queued, active: q.active, workers: q.workers };
      bar.update(counter.done, info);
    },
  );
}

async function runSection(section: Section, index: number, total: number, pool: UnitPool, o: RunOptions): Promise<{ result: SectionResult; body: string }> {
  const t0 = performance.now();
  const stages = section.plan(o.settings);
  const count = stages.reduce((a, s) => a + s.length, 0);
  const reused = stages.flat().filter((u) => readUnit(o.out, u.id) !== undefined).length;
  log(o, `[${index}/${total}] ${section.name}: ${section.title}, ${count} units${reused > 0 ? ` (${reused} done in an earlier run)` : ''}`);
  const bar = createProgress({ label: section.name, total: count, quiet: o.quiet });
  const results = new Map<string, Json>();
  const failed: Array<{ id: string; error: string }> = [];
  const counter = { done: 0 };
  for (const stage of stages) {
    // Said when it happens, not only at the end: a long run's failures should not wait hours to be seen.
    const outcome = await runStage(pool, stage, bar, counter, (id, error) => log(o, `  ${section.name}: unit ${id} failed: ${error} (the run goes on; rerunning into the same --out retries it)`));
    for (const [id, r] of outcome.results) results.set(id, r);
    failed.push(...outcome.failed);
  }
  bar.stop();
  const data = section.summarize(o.settings, results);
  const plots = [];
  for (const p of section.plots?.(data) ?? []) {
    const file = `plots/${p.name}.svg`;
    writeFileAtomic(join(o.out, file), await renderSvg(p.spec));
    plots.push({ file, title: p.title });
  }
  if (failed.length > 0) log(o, `  ${section.name}: ${failed.length} of ${count} units failed (${failed.map((f) => f.id).join(', ')}); rerun into the same --out to retry them`);
  const result: SectionResult = {
    name: section.name,
    title: section.title,
    status: failed.length > 0 ? 'partial' : 'done',
    wallSeconds: (performance.now() - t0) / 1000,
    units: { total: count, reused, failed: failed.length },
    failed,
    data,
    plots,
  };
  return { result, body: section.markdown(data, o.settings) };
}

/** Runs the bench and writes every output; returns results.json's content. */
export async function runBench(o: RunOptions): Promise<BenchResults> {
  const t0 = performance.now();
  mkdirSync(join(o.out, 'plots'), { recursive: true });
  // A killed run can leave a half-written net directory behind; its unit reruns anyway.
  sweepTempFiles(join(o.out, 'nets'));
  writeFileAtomic(join(o.out, 'settings.json'), `${JSON.stringify(o.settings, null, 2)}\n`);
  const selected = SECTIONS.filter((s) => o.settings.sections.includes(s.name));
  const pool = o.pool ?? createUnitPool(o.settings, o.out, o.workers);
  const bodies = new Map<string, string>();
  const sections: SectionResult[] = [];
  try {
    for (const section of SECTIONS) {
      if (!selected.includes(section)) {
        sections.push({ name: section.name, title: section.title, status: 'not-run', note: 'not run: left out by --only' });
        continue;
      }
      const { result, body } = await runSection(section, selected.indexOf(section) + 1, selected.length, pool, o);
      sections.push(result);
      bodies.set(section.name, body);
    }
  } finally {
    await pool.close();
  }
  for (const p of PENDING) sections.push({ name: p.name, title: p.title, status: 'pending', note: p.pending });
  const results: BenchResults = {
    schemaVersion: SCHEMA_VERSION,
    settings: o.settings,
    dataset: o.dataset,
    environment: environment(o.backend.name, o.backend.tfjsVersion),
    wallSeconds: (performance.now() - t0) / 1000,
    sections,
  };
  writeReports(o.out, results, bodies);
  return results;
}
