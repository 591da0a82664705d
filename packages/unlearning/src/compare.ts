/**
 * `compareMethods`: run methods on one request, score each with
 * `evaluateModel`, and return table rows with the original and gold (Retrain)
 * beside them, plus Avg Gap and RTE against gold (via @metanet/metrics). The
 * one comparison loop: the CLI's `unlearn`, `demo` and the benchmarks call it.
 */
import { tf } from '@metanet/tensor';
import { avgGap, formatMetricsTable, runTimeEfficiency, type MetricsRow } from '@metanet/metrics';
import { evaluateModel, gapMetrics, type EvaluateOptions, type EvaluationSets, type ModelMetrics } from './evaluate';
import type { AnyMethod } from './registry';
import type { TrainedNet, UnlearnInput } from './types';

/** One row of a method comparison: the method, its metrics and its time. */
export interface ComparisonRow {
  /** Method name; 'original' and 'retrain' (gold) included. */
  method: string;
  metrics: ModelMetrics;
  /** Wall-clock seconds of the method (gold: its training time); absent for the original. */
  seconds?: number;
  /** seconds / gold seconds. */
  rte?: number;
  /** Mean |Δ| to gold over UA, RA, TA and MIA (SVC efficacy in percent). */
  avgGap?: number;
  steps?: number;
}

/** Options of `compareMethods`: the original, the gold model and its time, and the methods to run. */
export interface CompareOptions {
  original: TrainedNet;
  /**
   * Gold (Retrain) model and the seconds it took. Without it there is no gold
   * row and no Avg Gap; without `seconds` (unknown) there is no RTE.
   */
  gold?: { model: TrainedNet; seconds?: number };
  /** Name of the gold row. Default 'retrain'. */
  goldLabel?: string;
  /** Methods to run (retrain is the gold row; skip it here). */
  methods: readonly AnyMethod[];
  /** Hyperparameter overrides per method name. */
  hyperparameters?: Record<string, Record<string, number | boolean | string>>;
  sets: EvaluationSets;
  seed: number;
  evaluate?: Omit<EvaluateOptions, 'gold'>;
  /** Called when a method starts, and with its step progress. */
  onMethod?: (name: string, index: number, total: number) => void;
  /** Called as the comparison progresses: methods done of the total. */
  onProgress?: (done: number, total: number) => void;
  /** Called before each model is scored (gold, original, then each method), e.g. for a progress bar. */
  onScore?: (name: string, index: number, total: number) => void;
  /** Called with each method's scored model just before it is disposed (e.g. to save it). */
  onModel?: (name: string, model: TrainedNet) => void | Promise<void>;
  /** Called with each finished row (e.g. to write partial results). */
  onRow?: (row: ComparisonRow) => void | Promise<void>;
  /** Called with a method's error; the comparison continues without its row. Default: rethrow. */
  onError?: (name: string, err: unknown) => void;
}

/** Runs and scores each method (one at a time, disposing its model after scoring). */
export async function compareMethods(opts: CompareOptions): Promise<ComparisonRow[]> {
  const gold = opts.gold;
  const goldLabel = opts.goldLabel ?? 'retrain';
  const evalOpts: EvaluateOptions = { ...opts.evaluate, gold: gold?.model, seed: opts.evaluate?.seed ?? opts.seed };
  const toScore = (gold ? 2 : 1) + opts.methods.length;
  let scored = 0;
  const score = (name: string, model: TrainedNet): Promise<ModelMetrics> => {
    opts.onScore?.(name, scored++, toScore);
    return evaluateModel(model, opts.sets, evalOpts);
  };
  const rows: ComparisonRow[] = [];
  const push = async (row: ComparisonRow): Promise<void> => {
    rows.push(row);
    await opts.onRow?.(row);
  };
  const goldMetrics = gold ? await score(goldLabel, gold.model) : undefined;
  const gapToGold = (m: ModelMetrics): number | undefined => (goldMetrics ? avgGap(gapMetrics(m), gapMetrics(goldMetrics)).avgGap : undefined);
  const rte = (seconds: number): number | undefined => (gold?.seconds === undefined ? undefined : runTimeEfficiency(seconds, gold.seconds).ratio);
  const originalMetrics = await score('original', opts.original);
  await push({ method: 'original', metrics: originalMetrics, avgGap: gapToGold(originalMetrics) });
  if (gold && goldMetrics) {
    await push({ method: goldLabel, metrics: goldMetrics, seconds: gold.seconds, rte: gold.seconds === undefined ? undefined : 1, avgGap: 0 });
  }

  const input: UnlearnInput = {
    model: opts.original,
    forget: opts.sets.forget,
    retain: opts.sets.retain,
    forgetClasses: opts.sets.forgetClasses,
    ...(opts.sets.requestKind && { requestKind: opts.sets.requestKind }),
    numClasses: opts.sets.numClasses,
    seed: opts.seed,
    onProgress: opts.onProgress,
  };
  let k = 0;
  for (const method of opts.methods) {
    opts.onMethod?.(method.name, k++, opts.methods.length);
    let model: TrainedNet | null = null;
    try {
      const r = await method.run(input, opts.hyperparameters?.[method.name]);
      model = r.model;
      const metrics = await score(method.name, model);
      await push({ method: method.name, metrics, seconds: r.seconds, steps: r.steps, rte: rte(r.seconds), avgGap: gapToGold(metrics) });
      await opts.onModel?.(method.name, model);
    } catch (err) {
      if (!opts.onError) throw err;
      opts.onError(method.name, err);
    } finally {
      if (model) tf.dispose([...model.params, ...model.buffers]);
    }
  }
  return rows;
}

/** The table's columns: a flat record per row (missing metrics left blank). */
export function comparisonTableRows(rows: readonly ComparisonRow[]): MetricsRow[] {
  return rows.map((r) => {
    const m = r.metrics;
    return {
      method: r.method,
      forget: m.forgetAcc,
      retain: m.retainAcc,
      test: m.testAcc,
      'test-forget': m.testForgetAcc,
      'test-retain': m.testRetainAcc,
      'LR-MIA': m.lrMia,
      'SVC-MIA': m.svcMia,
      'ent-MIA': m.entropyMia,
      JS: m.jsToGold,
      'act-dist': m.activationDistanceToGold,
      'l2-gold': m.weightDistanceToGold,
      ZRF: m.zrf,
      'probe-AUC': m.probe?.forgetAuc,
      'probe-acc': m.probe === undefined ? undefined : 100 * m.probe.forgetAccuracy,
      relearn: m.relearnSteps,
      'feat-gap': m.feature?.accuracyGap,
      'feat-attr': m.feature?.attributionMass,
      'concept-AUC': m.concept?.auc,
      'avg-gap': r.avgGap,
      seconds: r.seconds,
      RTE: r.rte,
    };
  });
}

/** A Markdown (or plain) table of the rows, via @metanet/metrics' formatter; empty columns are dropped. */
export function comparisonTable(rows: readonly ComparisonRow[], format: 'markdown' | 'plain' = 'markdown'): string {
  const flat = comparisonTableRows(rows);
  const columns = Object.keys(flat[0] ?? {}).filter((c) => c !== 'method' && flat.some((r) => r[c] !== undefined));
  return formatMetricsTable(flat, { columns, format, digits: 3 });
}
