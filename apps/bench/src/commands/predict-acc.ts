import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { AccuracyPredictionResult, FitOutcome, FitStore, GmnFitOptions, GmnReadoutKind, PredictionSetting, ZooEntry } from '@metanet/zoo';
import { CliUsageError } from '../errors';
import { int } from '../flags';
import { emit, table } from '../output';
import { createPhases } from '../progress';
import { readZooEntries } from '../zoo-entries';

interface TrainOptions {
  zoo: string;
  out: string;
  method: string;
  seeds: string;
  splitSeed: string;
  epochs?: string;
  trainSizes?: string;
  allCheckpoints?: boolean;
  trainAllCheckpoints?: boolean;
  oodWidth?: string;
  probes?: string;
  readout: string;
  plots: boolean;
  json?: boolean;
}

interface EvalOptions {
  model: string;
  zoo: string;
  allCheckpoints?: boolean;
  json?: boolean;
}

const fmt = (m: { mean: number; std: number }): string => `${m.mean.toFixed(3)} ± ${m.std.toFixed(3)}`;

function methodsOf(flag: string, names: readonly string[], entries: readonly ZooEntry[]): string[] {
  if (flag !== 'all') {
    const list = flag.split(',').map((m) => m.trim());
    for (const m of list) if (!names.includes(m)) throw new CliUsageError(`--method ${m} is unknown; use one of ${names.join(', ')} or all`);
    return list;
  }
  // The flat-weights MLP needs one architecture; 'all' leaves it out of a zoo of several.
  const archs = new Set(entries.map((e) => e.record.arch));
  return names.filter((m) => m !== 'flat' || archs.size === 1);
}

function trainSizes(flag: string | undefined): number[] {
  if (flag === undefined) return [];
  return flag.split(',').map((s) => int(s.trim(), '--train-sizes', 1));
}

/** Finished fits as JSON files under OUT/fits, written atomically, so a rerun skips them. */
async function fileStore(dir: string): Promise<FitStore> {
  const { writeFileAtomic } = await import('@metanet/data');
  mkdirSync(dir, { recursive: true });
  const path = (key: string): string => join(dir, `${key.replaceAll('/', '__')}.json`);
  return {
    get(key) {
      if (!existsSync(path(key))) return undefined;
      const saved = JSON.parse(readFileSync(path(key), 'utf8')) as { result: FitOutcome['result']; predicted: number[] };
      return { result: saved.result, predicted: Float32Array.from(saved.predicted) };
    },
    put(key, outcome) {
      writeFileAtomic(path(key), `${JSON.stringify({ result: outcome.result, predicted: Array.from(outcome.predicted) })}\n`);
    },
  };
}

async function writePlots(out: string, result: AccuracyPredictionResult): Promise<string[]> {
  const [{ renderSvg }, { predictedVsTrueSpec, tauVsSizeSpec }] = await Promise.all([import('../plots/render-svg'), import('../plots/predict-acc')]);
  const dir = join(out, 'plots');
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const [name, spec] of [['predicted-vs-true', predictedVsTrueSpec(result.predictions)], ['tau-vs-size', tauVsSizeSpec(result.sizeCurve)]] as const) {
    writeFileSync(join(dir, `${name}.vl.json`), `${JSON.stringify(spec, null, 1)}\n`);
    writeFileSync(join(dir, `${name}.svg`), await renderSvg(spec));
    files.push(join(dir, `${name}.svg`));
  }
  return files;
}

function resultTable(result: AccuracyPredictionResult): string {
  const rows = [['method', 'setting', 'train', 'test', 'τ (mean ± std)', 'R² (mean ± std)', 'train s', 'nets/s']];
  for (const r of result.rows) {
    const trainS = r.seeds.reduce((a, s) => a + s.trainMs, 0) / r.seeds.length / 1000;
    const rate = r.seeds.reduce((a, s) => a + s.netsPerSecond, 0) / r.seeds.length;
    rows.push([r.method, r.setting, String(r.trainNets), String(r.testNets), fmt(r.tau), fmt(r.r2), trainS.toFixed(1), rate.toFixed(0)]);
  }
  const curve = result.sizeCurve.map((p) => `${p.method} @ ${p.trainNets} nets: τ ${fmt(p.tau)}`);
  return [table(rows), ...(curve.length > 0 ? ['', 'τ against training-set size:', ...curve] : [])].join('\n');
}

/** The GMN's fit options: its readout (one of `readouts`, @metanet/zoo's GMN_READOUTS) and `n` noise probe inputs. */
function gmnOptions(readouts: readonly GmnReadoutKind[], readout: string, n: number): GmnFitOptions {
  const kind = readouts.find((r) => r === readout);
  if (kind === undefined) throw new CliUsageError(`--readout must be one of ${readouts.join(', ')}, got "${readout}"`);
  return { readout: kind, ...(n > 0 && { probes: n }) };
}

async function runTrain(opts: TrainOptions): Promise<void> {
  const seeds = int(opts.seeds, '--seeds', 1);
  const splitSeed = int(opts.splitSeed, '--split-seed', 0);
  const epochs = opts.epochs === undefined ? undefined : int(opts.epochs, '--epochs', 1);
  const sizes = trainSizes(opts.trainSizes);
  const oodWidth = opts.oodWidth === undefined ? undefined : int(opts.oodWidth, '--ood-width', 1);
  const probes = opts.probes === undefined ? 0 : int(opts.probes, '--probes', 0);
  const zoo = await import('@metanet/zoo');
  const gmnFit = gmnOptions(zoo.GMN_READOUTS, opts.readout, probes);
  const names = zoo.predictionMethodNames();
  if (opts.method !== 'all') methodsOf(opts.method, names, []);
  const phases = createPhases(opts.json);
  const { initBackend, backendInfo } = await import('@metanet/tensor');
  await initBackend();
  const entries = await readZooEntries(opts.zoo, (total) => phases.phase('reading zoo', total));
  const methods = methodsOf(opts.method, names, entries);
  if (oodWidth !== undefined && !entries.some((e) => typeof e.record.hparams.width === 'number')) {
    throw new CliUsageError('--ood-width needs a numeric "width" hyperparameter in the zoo records (the diverse zoo has it)');
  }
  const models = join(opts.out, 'models');
  const result = await zoo.runAccuracyPrediction({
    entries,
    methods,
    seeds: Array.from({ length: seeds }, (_, i) => i),
    splitSeed,
    trainSizes: sizes,
    allCheckpoints: opts.allCheckpoints ?? false,
    trainAllCheckpoints: opts.trainAllCheckpoints ?? false,
    ...(oodWidth !== undefined ? { ood: (e: ZooEntry) => Number(e.record.hparams.width) <= oodWidth } : {}),
    fit: { ...(epochs !== undefined && { '*': { epochs } }), gmn: gmnFit },
    // Fits trained on every checkpoint, with probes or with another GMN readout are other fits: kept apart so a rerun
    // never mixes them. Plain `fits/` is the hybrid's, as it was when the hybrid was the default.
    store: await fileStore(join(opts.out, `${opts.trainAllCheckpoints ? 'fits-train-all' : 'fits'}${probes > 0 ? `-probes${probes}` : ''}${gmnFit.readout !== 'statnn' ? `-${gmnFit.readout}` : ''}`)),
    onFitted: (key, predictor) => {
      if (key.startsWith('final/')) predictor.save(join(models, key.slice('final/'.length)));
    },
    onProgress: (e) => {
      const bar = phases.phase('fitting predictors', e.fits);
      const within = e.epoch ? e.epoch.epoch / e.epoch.epochs : 0;
      bar.update(e.fit + within, { fit: `${e.method} ${e.setting} seed ${e.seed}`, ...(e.epoch ? { 'val τ': e.epoch.valTau.toFixed(3) } : {}) });
    },
  });
  phases.stop();
  const { writeFileAtomic } = await import('@metanet/data');
  writeFileAtomic(join(opts.out, 'results.json'), `${JSON.stringify({ zoo: opts.zoo, methods, seeds, splitSeed, backend: backendInfo().name, ...result }, null, 1)}\n`);
  const plots = opts.plots ? await writePlots(opts.out, result) : [];
  const summary = { zoo: opts.zoo, out: opts.out, backend: backendInfo().name, methods, seeds, splits: result.splits, rows: result.rows, sizeCurve: result.sizeCurve, plots };
  emit(opts, summary, () => `${resultTable(result)}\n\nresults: ${join(opts.out, 'results.json')}; predictors: ${models}${plots.length ? `; plots: ${plots.join(', ')}` : ''}`);
}

async function runEval(opts: EvalOptions): Promise<void> {
  const zoo = await import('@metanet/zoo');
  if (!existsSync(opts.model)) throw new CliUsageError(`model directory ${opts.model} does not exist; train one with metanet predict-acc train --out DIR`);
  const { initBackend } = await import('@metanet/tensor');
  await initBackend();
  const predictor = zoo.loadPredictor(opts.model);
  try {
    const phases = createPhases(opts.json);
    const all = await readZooEntries(opts.zoo, (total) => phases.phase('reading zoo', total));
    phases.stop();
    const entries = opts.allCheckpoints ? all : all.filter((e) => e.record.final);
    if (entries.length < 2) throw new zoo.EmptySplitError(`zoo ${opts.zoo} has ${entries.length} nets to score; τ needs at least 2`);
    const t0 = performance.now();
    const predicted = predictor.predict(entries);
    const seconds = (performance.now() - t0) / 1000;
    const score = zoo.scorePredictions(Float32Array.from(entries, zoo.targetOf), predicted);
    const setting: PredictionSetting = opts.allCheckpoints ? 'all-checkpoints' : 'final';
    const json = { model: opts.model, method: predictor.method, zoo: opts.zoo, setting, nets: entries.length, ...score, netsPerSecond: entries.length / Math.max(seconds, 1e-9) };
    emit(opts, json, () => `${predictor.method} on ${entries.length} nets (${setting}): τ ${score.tau.toFixed(4)}, R² ${score.r2.toFixed(4)}, ${json.netsPerSecond.toFixed(0)} nets/s`);
  } finally {
    predictor.dispose();
  }
}

/** `metanet predict-acc train|eval`: predicting a net's test accuracy from its weights. */
export function register(program: Command): void {
  const cmd = program.command('predict-acc').description('predict a trained net\'s test accuracy from its weights (GMN, StatNN and baselines)');
  cmd
    .command('train')
    .description('fit predictors on a zoo (NFN splits by run), score them on the test nets, save them, results.json and plots')
    .requiredOption('--zoo <dir>', 'zoo directory (from metanet zoo)')
    .requiredOption('--out <dir>', 'output directory; a rerun skips the fits already in it')
    .option('--method <name>', 'gmn, statnn, hparams, flat, gbt, a comma list, or all', 'all')
    .option('--seeds <n>', 'predictor seeds per method', '3')
    .option('--split-seed <s>', 'seed of the train/val/test split', '0')
    .option('--epochs <n>', 'override every method\'s epoch count (quick runs)')
    .option('--train-sizes <list>', 'τ against training-set size, e.g. 250,500,1000')
    .option('--all-checkpoints', 'also score the split that keeps every checkpoint')
    .option('--train-all-checkpoints', 'train on every checkpoint of the training runs (val and test stay final checkpoints)')
    .option('--ood-width <w>', 'also train on nets of width ≤ w and test on wider ones')
    .option('--probes <n>', "give the GMN n noise probe inputs whose per-neuron responses join its node features (0 = none; its fits are stored apart, in OUT/fits-probes<n>)")
    .option('--readout <kind>', "the GMN's readout: auto (fit both, keep the better on val τ), statnn (the hybrid) or stats-mlp (from scratch)", 'auto')
    .option('--no-plots', 'skip the SVG plots')
    .option('--json', 'machine-readable output')
    .action(runTrain);
  cmd
    .command('eval')
    .description('score a saved predictor on a zoo\'s final nets')
    .requiredOption('--model <dir>', 'a predictor directory (OUT/models/<method>/seed<k>)')
    .requiredOption('--zoo <dir>', 'zoo directory')
    .option('--all-checkpoints', 'score every checkpoint, not only final ones')
    .option('--json', 'machine-readable output')
    .action(runEval);
}
