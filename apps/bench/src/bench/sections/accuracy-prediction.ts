/**
 * Accuracy prediction on the bench's zoo (the zoo section's units, found done when it ran first): every
 * prediction method of @metanet/zoo × seed as one pool unit, on the NFN split of the final checkpoints
 * (split seed 0, so every method and seed is scored on the same test nets), and in --full the τ-vs-size
 * curve from subsets of the training runs. Each unit is @metanet/zoo's `fitOnSplit`, the step
 * `metanet predict-acc train` repeats.
 */
import type { ZooEntry } from '@metanet/zoo';
import { predictedVsTrueSpec, tauVsSizeSpec } from '../../plots/predict-acc';
import type { PlotSpec, Section } from '../section';
import type { BenchSettings } from '../settings';
import { formatStat, stat, type Stat } from '../stats';
import type { Json, Unit, UnitContext } from '../units';
import { ZOO_EXECUTORS, zooDir, zooStages } from './zoo';

/** The methods the section runs, in report order (the zoo is single-architecture, so flat applies). */
export const PREDICTION_METHODS = ['gmn', 'statnn', 'gbt', 'hparams', 'flat'] as const;

const cache = new Map<string, ZooEntry[]>();

/** The zoo's nets, read once per worker thread. */
async function entriesOf(out: string): Promise<ZooEntry[]> {
  const dir = zooDir(out);
  let entries = cache.get(dir);
  if (!entries) {
    const { readZoo, readZooNet } = await import('@metanet/zoo');
    entries = readZoo(dir).records.map((record) => ({ record, net: readZooNet(dir, record) }));
    cache.set(dir, entries);
  }
  return entries;
}

const fitId = (method: string, seed: number, size: number | null): string => `accuracy-prediction/${size === null ? 'final' : `size${size}`}/${method}/s${seed}`;

async function fitUnit(unit: Unit, ctx: UnitContext): Promise<Json> {
  const zoo = await import('@metanet/zoo');
  const method = String(unit.params.method);
  const seed = Number(unit.params.seed);
  const size = unit.params.size === null ? null : Number(unit.params.size);
  const full = zoo.splitZoo(await entriesOf(ctx.out), { seed: 0 });
  const split = size === null ? full : zoo.subsampleTrain(full, size, 0);
  const epochs = ctx.settings.sizes.prediction.epochs[method];
  const readout = method === 'gmn' ? { readout: ctx.settings.sizes.prediction.gmnReadout } : {};
  const { result, predicted } = await zoo.fitOnSplit(method, split, seed, { ...(epochs !== undefined && { epochs }), ...readout });
  return {
    method,
    seed,
    size,
    trainNets: split.train.length,
    valNets: split.val.length,
    testNets: split.test.length,
    tau: result.tau,
    r2: result.r2,
    bestEpoch: result.bestEpoch,
    seconds: result.trainMs / 1000,
    netsPerSecond: result.netsPerSecond,
    ...(result.choice !== undefined && { choice: result.choice }),
    // Test predictions of the first seed only: the plot shows one seed per method.
    predictions: size === null && seed === 0 ? split.test.map((e, k) => [zoo.targetOf(e), predicted[k]!]) : [],
  };
}

function fitUnits(s: BenchSettings): Unit[] {
  const sizes: Array<number | null> = [null, ...s.sizes.prediction.trainSizes];
  return sizes.flatMap((size) =>
    PREDICTION_METHODS.flatMap((method) => Array.from({ length: s.seeds }, (_, seed) => ({ id: fitId(method, seed, size), kind: 'prediction-fit', params: { method, seed, size } }))),
  );
}

interface FitResult {
  method: string;
  seed: number;
  size: number | null;
  trainNets: number;
  valNets: number;
  testNets: number;
  tau: number;
  r2: number;
  seconds: number;
  netsPerSecond: number;
  predictions: Array<[number, number]>;
}

interface PredictionRow {
  method: string;
  tau: Stat;
  r2: Stat;
  trainSeconds: Stat;
  netsPerSecond: number;
}

interface PredictionData {
  split: { train: number; val: number; test: number } | null;
  rows: PredictionRow[];
  sizeCurve: Array<{ method: string; trainNets: number; tau: Stat }>;
  predictions: Array<{ method: string; trueAcc: number; predicted: number }>;
}

function summarize(s: BenchSettings, results: ReadonlyMap<string, Json>): PredictionData {
  const fits = fitUnits(s).flatMap((u) => (results.get(u.id) as unknown as FitResult | undefined) ?? []);
  const finals = fits.filter((f) => f.size === null);
  const first = finals[0];
  const rows = PREDICTION_METHODS.flatMap((method) => {
    const mine = finals.filter((f) => f.method === method);
    if (mine.length === 0) return [];
    return [{ method, tau: stat(mine.map((f) => f.tau)), r2: stat(mine.map((f) => f.r2)), trainSeconds: stat(mine.map((f) => f.seconds)), netsPerSecond: stat(mine.map((f) => f.netsPerSecond)).mean }];
  });
  const sizeCurve = PREDICTION_METHODS.flatMap((method) => {
    const bySize = new Map<number, number[]>();
    for (const f of fits.filter((x) => x.method === method)) bySize.set(f.trainNets, [...(bySize.get(f.trainNets) ?? []), f.tau]);
    return [...bySize].sort((a, b) => a[0] - b[0]).map(([trainNets, taus]) => ({ method, trainNets, tau: stat(taus) }));
  });
  const predictions = finals.flatMap((f) => f.predictions.map(([trueAcc, predicted]) => ({ method: f.method, trueAcc, predicted })));
  return { split: first ? { train: first.trainNets, val: first.valNets, test: first.testNets } : null, rows, sizeCurve, predictions };
}

function markdown(json: Json, s: BenchSettings): string {
  const d = json as unknown as PredictionData;
  if (!d.split) return 'No predictor finished (see the failed units below).';
  const lines = [
    `NFN split of the zoo's final checkpoints by training run (split seed 0): ${d.split.train} train, ${d.split.val} val, ${d.split.test} test nets; ` +
      `mean ± std over ${s.seeds} predictor seed(s), early stopping on val τ.` +
      (s.profile === 'full' ? '' : ' At this size the figures check the machinery, not the methods: --full trains on the full zoo.'),
    '',
    '| method | Kendall τ | R² | train (s) | inference (nets/s) |',
    '| --- | --- | --- | --- | ---: |',
    ...d.rows.map((r) => `| ${r.method} | ${formatStat(r.tau, 3)} | ${formatStat(r.r2, 3)} | ${formatStat(r.trainSeconds, 1)} | ${r.netsPerSecond.toFixed(0)} |`),
  ];
  if (s.sizes.prediction.trainSizes.length > 0) {
    lines.push('', 'τ against the number of training nets (same val and test nets):', '', '| method | training nets | Kendall τ |', '| --- | ---: | --- |');
    lines.push(...d.sizeCurve.map((p) => `| ${p.method} | ${p.trainNets} | ${formatStat(p.tau, 3)} |`));
  }
  return lines.join('\n');
}

function plots(json: Json): PlotSpec[] {
  const d = json as unknown as PredictionData;
  const out: PlotSpec[] = [];
  if (d.predictions.length > 0) {
    const points = d.predictions.map((p) => ({ ...p, setting: 'final' as const, seed: 0, id: '' }));
    out.push({ name: 'accuracy-prediction-predicted-vs-true', title: 'accuracy prediction: predicted vs true test accuracy (seed 0)', spec: predictedVsTrueSpec(points) });
  }
  if (new Set(d.sizeCurve.map((p) => p.trainNets)).size > 1) {
    const curve = d.sizeCurve.map((p) => ({ method: p.method, trainNets: p.trainNets, tau: { mean: p.tau.mean, std: p.tau.std }, r2: { mean: 0, std: 0 } }));
    out.push({ name: 'accuracy-prediction-tau-vs-size', title: 'accuracy prediction: Kendall τ against training nets', spec: tauVsSizeSpec(curve) });
  }
  return out;
}

export const accuracyPrediction: Section = {
  name: 'accuracy-prediction',
  title: 'Accuracy prediction',
  plan: (s) => [...zooStages(s), fitUnits(s)],
  executors: { ...ZOO_EXECUTORS, 'prediction-fit': fitUnit },
  summarize: (s, results) => summarize(s, results) as unknown as Json,
  markdown,
  plots,
};
