import { relative } from 'node:path';
import type { Command } from 'commander';
import { buildZoo, exportNpz, histogramText, listPresets, mergeZoos, parseShard, zooSettings, zooStats, type BuildZooSummary } from '@metanet/zoo';
import { parseQueueUrl, queueExecutor } from '../queue/index';
import { int } from '../flags';
import { emit, table } from '../output';
import { createProgress } from '../progress';

interface BuildCliOptions {
  preset: string;
  out: string;
  runs?: string;
  seed: string;
  workers?: string;
  shard?: string;
  quick?: boolean;
  wallTime: boolean;
  dataDir?: string;
  queue?: string;
  json?: boolean;
}

const hours = (ms: number): string => (ms / 3_600_000 >= 1 ? `${(ms / 3_600_000).toFixed(2)} h` : ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`);

function buildHuman(o: BuildCliOptions, s: BuildZooSummary): string {
  const perHour = s.trained > 0 ? (s.trainedNets / s.elapsedMs) * 3_600_000 : 0;
  return [
    `zoo ${s.settings.preset}${s.settings.quick ? ' (quick)' : ''} in ${o.out}: ${s.records} nets from ${s.runs} runs (seed ${s.settings.seed})`,
    `trained ${s.trained} runs in ${hours(s.elapsedMs)}${s.trained > 0 ? ` (${s.trainedNets} nets, ${perHour.toFixed(0)} nets/hour)` : ''}; ${s.resumed} found complete on disk`,
    ...(s.repaired.tornBytes > 0 || s.repaired.droppedLines > 0 ? [`repaired index.jsonl: cut a torn line of ${s.repaired.tornBytes} bytes, dropped ${s.repaired.droppedLines} lines of unfinished runs`] : []),
  ].join('\n');
}

/** `metanet zoo build|merge|export|stats`: model zoos (deterministic, parallel, resumable, shardable). */
export function register(program: Command): void {
  const zoo = program.command('zoo').description('build, merge, export and summarise model zoos (deterministic, parallel, resumable)');

  zoo
    .command('build')
    .description('build (or resume) a zoo: rerun the same command after a kill and it continues')
    .requiredOption('--preset <name>', `preset: ${listPresets().join(', ')}`)
    .requiredOption('--out <dir>', 'zoo directory (new, or one built with the same settings)')
    .option('--runs <n>', 'training runs (default: the preset\'s)')
    .option('--seed <s>', 'zoo seed: run r is a pure function of (seed, r)', '0')
    .option('--workers <n>', 'worker threads (0: this thread; default: cores)')
    .option('--shard <i/n>', 'build only runs r with r mod n = i (merge the shards with metanet zoo merge)')
    .option('--quick', 'the preset\'s quick variant (about 100 nets, minutes)')
    .option('--no-wall-time', 'record wall times as 0, so index.jsonl is byte-reproducible too')
    .option('--data-dir <dir>', 'dataset directory (default: auto-detect or METANET_DATA_DIR)')
    .option('--queue <url>', 'send the runs to a BullMQ queue on Redis (served by metanet worker) instead of local threads')
    .option('--json', 'machine-readable output')
    .action(async (o: BuildCliOptions) => {
      const bar = createProgress({ label: `zoo ${o.preset} (runs)`, total: 0, quiet: o.json ?? false });
      const seed = int(o.seed, '--seed', 0);
      let doneRuns = 0;
      const executor = o.queue === undefined ? undefined : queueExecutor(parseQueueUrl(o.queue), zooSettings(o.preset, { seed, quick: o.quick ?? false, wallTime: o.wallTime }), (q) => bar.update(doneRuns, { queued: q.waiting, active: q.active, workers: q.workers }));
      const summary = await buildZoo({
        preset: o.preset,
        out: o.out,
        seed,
        wallTime: o.wallTime,
        ...(executor ? { executor } : {}),
        ...(o.quick ? { quick: true } : {}),
        ...(o.runs !== undefined ? { runs: int(o.runs, '--runs', 1) } : {}),
        ...(o.workers !== undefined ? { workers: int(o.workers, '--workers', 0) } : {}),
        ...(o.shard !== undefined ? { shard: parseShard(o.shard) } : {}),
        ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}),
        onProgress: (p) => {
          bar.setTotal(p.total);
          doneRuns = p.done;
          const perHour = p.trainedNow > 0 ? (p.netsNow / p.elapsedMs) * 3_600_000 : 0;
          bar.update(p.done, { 'nets/h': perHour.toFixed(0) });
        },
      });
      bar.stop();
      emit(o, summary, () => buildHuman(o, summary));
    });

  zoo
    .command('merge')
    .description('merge shards (built with the same settings) into one zoo, identical to a single build')
    .requiredOption('--out <dir>', 'merged zoo directory')
    .argument('<dirs...>', 'shard zoo directories')
    .option('--json', 'machine-readable output')
    .action((dirs: string[], o: { out: string; json?: boolean }) => {
      const s = mergeZoos(o.out, dirs);
      emit(o, s, () => `merged ${s.inputs} zoos into ${o.out}: ${s.records} nets (${s.copied} bundles copied)`);
    });

  zoo
    .command('export')
    .description('export a zoo for numpy: metanet zoo export DIR --npz zoo.npz, then numpy.load("zoo.npz")')
    .argument('<dir>', 'zoo directory')
    .requiredOption('--npz <file>', 'output .npz file')
    .option('--final-only', 'only each run\'s final checkpoint')
    .option('--json', 'machine-readable output')
    .action((dir: string, o: { npz: string; finalOnly?: boolean; json?: boolean }) => {
      const s = exportNpz(dir, o.npz, { finalOnly: o.finalOnly ?? false });
      emit(o, { file: o.npz, ...s }, () => `wrote ${relative(process.cwd(), o.npz) || o.npz}: ${s.nets} nets, ${s.arrays} arrays, ${(s.bytes / 1e6).toFixed(1)} MB (${s.stacked ? 'weights stacked per tensor' : 'weights per net'})`);
    });

  zoo
    .command('stats')
    .description('sizes and the final nets\' test-accuracy histogram')
    .argument('<dir>', 'zoo directory')
    .option('--json', 'machine-readable output')
    .action((dir: string, o: { json?: boolean }) => {
      const s = zooStats(dir);
      const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
      emit(o, s, () =>
        [
          `zoo ${s.settings.preset}${s.settings.quick ? ' (quick)' : ''} (seed ${s.settings.seed}, ${s.settings.dataset.name}, ${s.settings.protocol.epochs} epochs, checkpoints ${s.settings.protocol.checkpoints.join(', ')})`,
          table([
            ['nets', String(s.records)],
            ['runs', String(s.runs)],
            ['final nets', String(s.finalNets)],
            ['diverged runs', String(s.diverged)],
            ['size', `${(s.bytes / 1e6).toFixed(1)} MB`],
            ['run time (sum)', hours(s.runTimeMs)],
            ['by architecture', Object.entries(s.byArch).map(([a, n]) => `${a} ${n}`).join(', ')],
            ['final test accuracy', `min ${pct(s.testAcc.min)}, median ${pct(s.testAcc.median)}, mean ${pct(s.testAcc.mean)}, max ${pct(s.testAcc.max)}`],
          ]),
          '',
          'final test accuracy (nets per bin)',
          histogramText(s.histogram),
        ].join('\n'),
      );
    });
}
