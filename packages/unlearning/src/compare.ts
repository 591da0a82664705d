/**
 * `compareMethods`: run methods on one request, score each with
 * `evaluateModel`, and return table rows with the original and gold (Retrain)
 * beside them, plus Avg Gap and RTE against gold (via @metanet/metrics).
 */
import { tf } from '@metanet/tensor';
import { avgGap, formatMetricsTable, runTimeEfficiency, type MetricsRow } from '@metanet/metrics';
import { evaluateModel, type EvaluateOptions, type EvaluationSets, type ModelMetrics } from './evaluate';
import type { AnyMethod } from './registry';
import type { TrainedNet, UnlearnInput } from './types';

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

export interface CompareOptions {
  original: TrainedNet;
  /** Gold (Retrain) model and the seconds it took. */
  gold: { model: TrainedNet; seconds: number };
  /** Methods to run (retrain is the gold row; skip it here). */
  methods: readonly AnyMethod[];
  /** Hyperparameter overrides per method name. */
  hyperparameters?: Record<string, Record<string, number | boolean | string>>;
  sets: EvaluationSets;
  seed: number;
  evaluate?: Omit<EvaluateOptions, 'gold'>;
  /** Called when a method starts, and with its step progress. */
  onMethod?: (name: string, index: number, total: number) => void;
  onProgress?: (done: number, total: number) => void;
  /** Called with each finished row (e.g. to write partial results). */
  onRow?: (row: ComparisonRow) => void | Promise<void>;
  /** Called with a method's error; the comparison continues without its row. Default: rethrow. */
  onError?: (name: string, err: unknown) => void;
}

const gapMetrics = (m: ModelMetrics) => ({ UA: m.UA, RA: m.RA, TA: m.TA, MIA: 100 * m.svcMia });

/** Runs and scores each method (one at a time, disposing its model after scoring). */
export async function compareMethods(opts: CompareOptions): Promise<ComparisonRow[]> {
  const evalOpts: EvaluateOptions = { ...opts.evaluate, gold: opts.gold.model, seed: opts.evaluate?.seed ?? opts.seed };
  const rows: ComparisonRow[] = [];
  const push = async (row: ComparisonRow): Promise<void> => {
    rows.push(row);
    await opts.onRow?.(row);
  };
  const goldMetrics = await evaluateModel(opts.gold.model, opts.sets, evalOpts);
  const originalMetrics = await evaluateModel(opts.original, opts.sets, evalOpts);
  await push({ method: 'original', metrics: originalMetrics, avgGap: avgGap(gapMetrics(originalMetrics), gapMetrics(goldMetrics)).avgGap });
  await push({ method: 'retrain', metrics: goldMetrics, seconds: opts.gold.seconds, rte: 1, avgGap: 0 });

  const input: UnlearnInput = {
    model: opts.original,
    forget: opts.sets.forget,
    retain: opts.sets.retain,
    forgetClasses: opts.sets.forgetClasses,
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
      const metrics = await evaluateModel(model, opts.sets, evalOpts);
      await push({
        method: method.name,
        metrics,
        seconds: r.seconds,
        steps: r.steps,
        rte: runTimeEfficiency(r.seconds, opts.gold.seconds).ratio,
        avgGap: avgGap(gapMetrics(metrics), gapMetrics(goldMetrics)).avgGap,
      });
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
