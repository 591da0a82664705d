import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import {
  countLabels,
  fetchDataset,
  locateDataset,
  readCifar10Batch,
  readIdxPair,
  syntheticShapesArrays,
  CIFAR10_CLASS_NAMES,
  FASHION_MNIST_CLASS_NAMES,
  MNIST_CLASS_NAMES,
  REMOTE_DATASETS,
  type FetchProgress,
  type Split,
} from '@metanet/data';
import { CliUsageError } from '../errors';
import { emit, table } from '../output';

interface FetchCliOptions {
  to: string;
  baseUrl?: string;
  json?: boolean;
}

interface InfoCliOptions {
  dataset: string;
  dataDir?: string;
  seed: string;
  json?: boolean;
}

interface SplitInfo {
  count: number;
  /** Per-sample shape (H, W, C). */
  shape: number[];
  classCounts: Record<string, number>;
  source: string;
}

interface DatasetInfo {
  dataset: string;
  classNames: string[];
  splits: Partial<Record<Split, SplitInfo>>;
}

const INFO_DATASETS = ['fashion-mnist', 'synthetic', 'mnist', 'cifar-10'] as const;

function byClass(labels: Int32Array, classNames: readonly string[]): Record<string, number> {
  const counts = countLabels(labels, classNames.length);
  return Object.fromEntries(classNames.map((name, i) => [name, counts[i] ?? 0]));
}

/** Reads only what `info` needs: labels and shapes, never normalised images. */
async function fileDatasetInfo(name: 'fashion-mnist' | 'mnist' | 'cifar-10', dataDir: string | undefined): Promise<DatasetInfo> {
  const classNames = name === 'fashion-mnist' ? FASHION_MNIST_CLASS_NAMES : name === 'mnist' ? MNIST_CLASS_NAMES : CIFAR10_CLASS_NAMES;
  const splits: Partial<Record<Split, SplitInfo>> = {};
  for (const split of ['train', 'test'] as const) {
    const { dir, files } = locateDataset(name, split, dataDir);
    if (name === 'cifar-10') {
      const labels: number[] = [];
      for (const f of files) labels.push(...(await readCifar10Batch(f)).labels);
      const y = Int32Array.from(labels);
      splits[split] = { count: y.length, shape: [32, 32, 3], classCounts: byClass(y, classNames), source: dir };
    } else {
      const pair = await readIdxPair(files[0] as string, files[1] as string, classNames.length);
      splits[split] = { count: pair.shape[0], shape: [pair.shape[1], pair.shape[2], 1], classCounts: byClass(pair.labels, classNames), source: dir };
    }
  }
  return { dataset: name, classNames: [...classNames], splits };
}

/** The synthetic sets `metanet train/demo` use by default (6000 train, 2000 test). */
function syntheticInfo(seed: number): DatasetInfo {
  const train = syntheticShapesArrays({ n: 6000, seed });
  const test = syntheticShapesArrays({ n: 2000, seed: seed + 1 });
  const src = (n: number, s: number) => `built-in synthetic shapes (n=${n}, seed=${s})`;
  return {
    dataset: 'synthetic',
    classNames: [...train.classNames],
    splits: {
      train: { count: 6000, shape: [28, 28, 1], classCounts: byClass(train.labels, train.classNames), source: src(6000, seed) },
      test: { count: 2000, shape: [28, 28, 1], classCounts: byClass(test.labels, test.classNames), source: src(2000, seed + 1) },
    },
  };
}

function humanInfo(info: DatasetInfo): string {
  const splits = Object.entries(info.splits) as [Split, SplitInfo][];
  const rows = [['class', ...splits.map(([s]) => s)]];
  info.classNames.forEach((c) => rows.push([c, ...splits.map(([, s]) => String(s.classCounts[c] ?? 0))]));
  rows.push(['total', ...splits.map(([, s]) => String(s.count))]);
  return [
    `${info.dataset}: ${info.classNames.length} classes, images ${splits[0]?.[1].shape.join('x') ?? '?'}`,
    ...splits.map(([name, s]) => `${name}: ${s.source}`),
    '',
    table(rows),
  ].join('\n');
}

/** A bar per file on a terminal; one line per finished file otherwise (logs, CI). */
function fetchReporter(quiet: boolean): { onProgress: (p: FetchProgress) => void; stop: () => void } {
  if (quiet) return { onProgress: () => undefined, stop: () => undefined };
  if (process.stdout.isTTY) {
    const bars = new cliProgress.MultiBar(
      { format: '{file} [{bar}] {percentage}% | {value}/{total} bytes | {phase}', hideCursor: true, stream: process.stdout },
      cliProgress.Presets.shades_classic,
    );
    const byFile = new Map<string, cliProgress.SingleBar>();
    return {
      onProgress(p) {
        let bar = byFile.get(p.file);
        if (!bar) {
          bar = bars.create(p.total ?? 0, 0, { file: p.file, phase: p.phase });
          byFile.set(p.file, bar);
        }
        if (p.total !== null) bar.setTotal(p.total);
        bar.update(p.received, { phase: p.phase });
      },
      stop: () => bars.stop(),
    };
  }
  return {
    onProgress(p) {
      if (p.phase === 'verified') process.stdout.write(`${p.file}: ${p.received} bytes, sha256 ok\n`);
      if (p.phase === 'cached') process.stdout.write(`${p.file}: already present and verified\n`);
    },
    stop: () => undefined,
  };
}

/** `metanet data fetch|info`: download datasets, and describe what is installed. */
export function register(program: Command): void {
  const data = program.command('data').description('download datasets and show what is available');

  data
    .command('fetch')
    .description(`download a dataset over HTTPS, verify sha256, write atomically (fetchable: ${Object.keys(REMOTE_DATASETS).join(', ')})`)
    .argument('<name>', 'dataset name, e.g. fashion-mnist')
    .requiredOption('--to <dir>', 'destination directory (created if missing)')
    .option('--base-url <url>', 'download from this mirror instead of the official location')
    .option('--json', 'machine-readable output')
    .action(async (name: string, opts: FetchCliOptions) => {
      const reporter = fetchReporter(Boolean(opts.json));
      let files;
      try {
        files = await fetchDataset(name, {
          to: opts.to,
          onProgress: reporter.onProgress,
          ...(opts.baseUrl !== undefined && { baseUrl: opts.baseUrl }),
        });
      } finally {
        reporter.stop();
      }
      emit(opts, { dataset: name, dir: opts.to, files }, () => `${name}: ${files.length} files in ${opts.to}; use --data-dir ${opts.to}`);
    });

  data
    .command('info')
    .description('counts per split and per class, and where the data comes from')
    .option('--dataset <name>', `one of ${INFO_DATASETS.join(', ')}`, 'fashion-mnist')
    .option('--data-dir <dir>', 'directory holding the dataset files (default: METANET_DATA_DIR, then the system copy)')
    .option('--seed <n>', 'seed of the synthetic dataset', '0')
    .option('--json', 'machine-readable output')
    .action(async (opts: InfoCliOptions) => {
      const name = opts.dataset;
      if (!(INFO_DATASETS as readonly string[]).includes(name)) {
        throw new CliUsageError(`unknown dataset "${name}"; use one of ${INFO_DATASETS.join(', ')}`);
      }
      let info: DatasetInfo;
      if (name === 'synthetic') {
        const seed = Number(opts.seed);
        if (!Number.isInteger(seed)) throw new CliUsageError(`--seed must be an integer, got "${opts.seed}"`);
        info = syntheticInfo(seed);
      } else {
        info = await fileDatasetInfo(name as 'fashion-mnist' | 'mnist' | 'cifar-10', opts.dataDir);
      }
      emit(opts, info, () => humanInfo(info));
    });
}
