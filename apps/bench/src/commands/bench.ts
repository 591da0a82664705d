import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { backendInfo, initBackend } from '@metanet/tensor';
import { getMethod, METHODS } from '@metanet/unlearning';
import { defaultWorkers } from '../bench/pool';
import { runBench } from '../bench/run';
import { SECTION_NAMES, SECTIONS } from '../bench/sections/index';
import { checkSettings, PROFILES, type BenchSettings, type Profile } from '../bench/settings';
import { DATASET_CHOICES, disposeAll, loadTrainTest } from '../datasets';
import { CliUsageError } from '../errors';
import { int } from '../flags';
import { createQueueUnitPool, parseQueueUrl } from '../queue/index';
import { emit } from '../output';

interface BenchCliOptions {
  queue?: string;
  quick?: boolean;
  full?: boolean;
  dataset: string;
  dataDir?: string;
  out?: string;
  workers?: string;
  only?: string;
  seeds?: string;
  methods?: string;
  json?: boolean;
}

/** Test-size runs for the suite: METANET_BENCH_TINY=1 shrinks every section (240 images, 1 epoch). */
function profileOf(opts: BenchCliOptions): Profile {
  if (opts.quick && opts.full) throw new CliUsageError('pass at most one of --quick and --full');
  if (process.env.METANET_BENCH_TINY === '1') return 'tiny';
  return opts.full ? 'full' : 'quick';
}

function parseSections(only: string | undefined): string[] {
  const runnable = SECTIONS.map((s) => s.name);
  if (only === undefined) return runnable;
  const names = only.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!SECTION_NAMES.includes(n)) throw new CliUsageError(`unknown section "${n}" in --only; use some of ${SECTION_NAMES.join(', ')}`);
  }
  return runnable.filter((n) => names.includes(n));
}

/**
 * Retrain is gold, not a method to score against gold. `gmn` applies a trained editor, which the bench does not have
 * until its gmn-unlearning section trains one, so it is left out of the default list (and refused if asked for).
 */
const NOT_BENCHED = new Set(['retrain', 'gmn']);

function parseMethods(list: string | undefined): string[] {
  if (list === undefined) return METHODS.map((m) => m.name).filter((n) => !NOT_BENCHED.has(n));
  const names = list.split(',').map((s) => s.trim()).filter((s) => s && s !== 'retrain').map((n) => getMethod(n).name);
  if (names.includes('gmn')) throw new CliUsageError('--methods gmn needs a trained editor: the gmn-unlearning section trains one and scores it against gold and baselines (--only gmn-unlearning), or score a saved editor with metanet gmn-unlearn eval');
  return names;
}

/** The dataset the run uses: `auto` resolves to Fashion-MNIST when installed, else synthetic (with the notice). */
async function resolveDataset(opts: BenchCliOptions, profile: Profile): Promise<{ name: string; description: string; notice?: string }> {
  const data = await loadTrainTest(opts.dataset, { limit: 100, seed: 0, ...(opts.dataDir !== undefined && { dataDir: opts.dataDir }) });
  disposeAll(data.train, data.test);
  if (data.notice && profile === 'full') {
    throw new CliUsageError('--full needs a real dataset and Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist, or pass --dataset synthetic');
  }
  const name = data.notice ? 'synthetic' : opts.dataset === 'auto' ? 'fashion-mnist' : opts.dataset;
  return { name, description: data.description, ...(data.notice && { notice: data.notice }) };
}

function prepareOut(out: string): void {
  try {
    mkdirSync(out, { recursive: true });
    accessSync(out, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new CliUsageError(`cannot write to --out ${out} (${code}); choose a writable directory`);
  }
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
}

/** `metanet bench`: every section, as report.md, report.html, results.json and SVG plots. */
export function register(program: Command): void {
  program
    .command('bench')
    .description('run the benchmark (graph, homework, methods, ε-score, speed) and write report.md, report.html, results.json and SVG plots')
    .option('--quick', 'small sizes, ≤ 10 minutes on 2 cores (default)')
    .option('--full', 'the real benchmark: hours, resumable')
    .option('--dataset <name>', DATASET_CHOICES.join(', '), 'auto')
    .option('--data-dir <dir>', 'dataset directory (default: auto-detect or METANET_DATA_DIR)')
    .option('--out <dir>', 'output directory; rerunning into it resumes (default ./metanet-report/<timestamp>)')
    .option('--workers <n>', 'worker threads running units in parallel (default: the number of cores)')
    .option('--only <sections>', `comma-separated sections: ${SECTION_NAMES.join(', ')}`)
    .option('--seeds <k>', 'seeds of the methods section (mean ± std)')
    .option('--methods <list>', 'comma-separated unlearning methods (default: every registered one)')
    .option('--queue <url>', 'run the units on a BullMQ queue on Redis (metanet worker) instead of local threads; workers must see --out at the same path')
    .option('--json', 'print a JSON summary instead of the human one; no progress output')
    .action(async (opts: BenchCliOptions) => {
      const connection = opts.queue === undefined ? undefined : parseQueueUrl(opts.queue);
      const profile = profileOf(opts);
      const sections = parseSections(opts.only);
      const methods = parseMethods(opts.methods);
      const workers = opts.workers === undefined ? defaultWorkers() : int(opts.workers, '--workers', 1);
      const seeds = opts.seeds === undefined ? (profile === 'full' ? 3 : 2) : int(opts.seeds, '--seeds', 1);
      const out = resolve(opts.out ?? join('metanet-report', timestamp()));
      await initBackend();
      const dataset = await resolveDataset(opts, profile);
      const settings: BenchSettings = { profile, dataset: dataset.name, dataDir: opts.dataDir ?? null, seeds, sections, methods, sizes: PROFILES[profile] };
      prepareOut(out);
      const mode = checkSettings(out, settings);
      const quiet = Boolean(opts.json) || !process.stderr.isTTY;
      if (dataset.notice) process.stderr.write(`${dataset.notice}\n`);
      if (!opts.json) process.stderr.write(`metanet bench --${profile} on ${dataset.description}, ${workers} workers, ${mode === 'resume' ? 'resuming' : 'writing'} ${out}\n`);
      const info = backendInfo();
      const pool = connection ? createQueueUnitPool(connection, settings, out) : undefined;
      const results = await runBench({ settings, out, workers, quiet, lines: !opts.json, ...(pool && { pool }), dataset: { description: dataset.description, ...(dataset.notice && { notice: dataset.notice }) }, backend: { name: info.name, tfjsVersion: info.tfjsVersion } });
      const failed = results.sections.reduce((a, s) => a + (s.units?.failed ?? 0), 0);
      const summary = { out, wallSeconds: results.wallSeconds, failedUnits: failed, sections: results.sections.map((s) => ({ name: s.name, status: s.status, ...(s.units && { units: s.units }) })) };
      emit(opts, summary, () =>
        [
          `wrote report.md, report.html, results.json and ${results.sections.reduce((a, s) => a + (s.plots?.length ?? 0), 0)} plots to ${out} in ${results.wallSeconds.toFixed(0)} s`,
          ...results.sections.map((s) => `  ${s.name}: ${s.status}${s.units ? ` (${s.units.total} units, ${s.units.failed} failed)` : ''}`),
          failed > 0 ? `${failed} units failed (see report.md); rerun with --out ${out} to retry them` : '',
        ].filter(Boolean).join('\n'),
      );
    });
}
