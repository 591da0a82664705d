/**
 * The GMN editor's evaluation protocol: held-out nets × forget classes; per pair the
 * original, gold (retrained without the class), the editor and every baseline on the
 * same net and request, each scored by `evaluateModel` against that pair's gold, plus
 * AIN, Avg Gap and RTE, and the editor's trade-off curve over a scale on Δw.
 * Summaries are mean ± std over pairs, per held-out group (unseen seeds, unseen widths).
 *
 * AIN (Chundawat et al. 2023) = relearn steps of the model / relearn steps of gold, with
 * one relearn recipe per pair (`createRelearnHook`). A count of 0 (target already met)
 * counts as 1, so AIN stays defined when gold starts at the target on tiny data.
 */
import { tf } from '@metanet/tensor';
import { avgGap, runTimeEfficiency } from '@metanet/metrics';
import { labelsOf, subsetDataset, disposeDataset, type Dataset } from '@metanet/data';
import { compareMethods } from '../compare';
import { InvalidHyperparameterError } from '../errors';
import { gapMetrics, type EvaluationSets, type ModelMetrics } from '../evaluate';
import { gmnWithEditor } from '../methods/gmn';
import { createRelearnHook, type RelearnHookOptions } from '../relearn-hook';
import type { AnyMethod } from '../registry';
import { splitByClasses } from '../requests/select';
import { applyEditor, type GMNEditor } from './editor';
import { architectureFamily } from './family';
import type { HeldOutNet, ProtocolGold } from './protocol-gold';
import { tradeoffCurve, type TradeoffPoint } from './protocol-tradeoff';
import { summarizeProtocol, type ProtocolSummary } from './protocol-summary';

/** Options of `runProtocol`: the editor, held-out nets, their golds, baselines, data and budgets. */
export interface ProtocolOptions {
  editor: GMNEditor;
  nets: readonly HeldOutNet[];
  /** One gold per (net id, class) pair (see `trainGold`); a pair without one is an error. */
  golds: readonly ProtocolGold[];
  /** Baseline methods run beside the editor (retrain is gold's row; leave it out). */
  methods: readonly AnyMethod[];
  hyperparameters?: Record<string, Record<string, number | boolean | string>>;
  train: Dataset;
  test: Dataset;
  classes: readonly number[];
  /** Scales of Δw on the trade-off curve. Default [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5]. */
  scales?: readonly number[];
  /** Relearn recipe for AIN; false leaves relearn and AIN out. Default maxSteps 100, evalEvery 5. */
  relearn?: RelearnHookOptions | false;
  seed?: number;
  /** Cap on D_r samples scored for RA. Default 2000. */
  maxRetain?: number;
  /** Cap on SVC-MIA shadow samples per group. Default 500. */
  maxShadow?: number;
  /** Called as each model of a pair is scored. */
  onScore?: (pair: number, pairs: number, model: string) => void;
  /** Called after each (net, class) pair. */
  onPair?: (done: number, total: number) => void;
  /**
   * Run untimed edits (`WARMUP_EDITS`) before the first pair. Default true: a process's first editor passes pay
   * one-off costs (V8 compiling and then optimising the editor's code paths, the first use of the GMN kernels): on a
   * width-24 small-cnn the first two edits took 116–121 and 72–75 ms, the later ones 20–40 ms. Timing them would
   * charge a whole-process cost to the first pair's RTE; their time is reported as `warmupSeconds` instead.
   */
  warmup?: boolean;
  /**
   * Timed edits per pair; the editor's `seconds` (and RTE) is their median. Default 5. One edit takes milliseconds,
   * and single timings of the same edit on the shared machine varied 2–3× (a pause of the process lands on a
   * few-millisecond operation whole, and averages out of a gold retrain of seconds). Every timed edit is the same
   * computation; the scored model is the first's.
   */
  editTimings?: number;
}

/** One model's numbers on one pair: accuracies and probe in percent, MIAs as metrics define them. */
export interface PairMetrics {
  forgetAcc: number;
  retainAcc: number;
  testForgetAcc: number;
  testRetainAcc: number;
  lrMia: number;
  svcMia: number;
  jsToGold: number;
  /** Probe recoverability: the linear probe's accuracy on the forgotten class (%). */
  probeAcc: number;
  probeAuc: number;
  avgGap: number;
  relearnSteps?: number;
  ain?: number;
  /** Wall seconds of the method (gold: its retrain); none for the original. */
  seconds?: number;
  rte?: number;
}

/** Which kind of model a row is. */
export type ProtocolRole = 'original' | 'gold' | 'editor' | 'baseline';

/** One (net, class) pair: every model's metrics and the editor's trade-off curve. */
export interface ProtocolPair {
  net: string;
  group: string;
  family: string;
  forgetClass: number;
  rows: Array<{ method: string; role: ProtocolRole; metrics: PairMetrics }>;
  curve: TradeoffPoint[];
  /** Baselines that failed on this pair, with their errors. */
  failed: Array<{ method: string; error: string }>;
}

/** Everything the protocol measured: per pair, and summarised. */
export interface ProtocolResult {
  pairs: ProtocolPair[];
  summary: ProtocolSummary;
  /** Wall seconds of the untimed warm-up edits (`ProtocolOptions.warmup`), all together; absent when they did not run. */
  warmupSeconds?: number;
}

/** The row name of the editor. */
export const EDITOR_ROW = 'gmn';

function requestSets(train: Dataset, test: Dataset, cls: number): EvaluationSets {
  const tr = splitByClasses(labelsOf(train), [cls]);
  const te = splitByClasses(labelsOf(test), [cls]);
  return {
    forget: subsetDataset(train, tr.forget),
    retain: subsetDataset(train, tr.retain),
    test,
    testForget: subsetDataset(test, te.forget),
    testRetain: subsetDataset(test, te.retain),
    forgetClasses: [cls],
    numClasses: train.classNames.length,
  };
}

function disposeSets(s: EvaluationSets): void {
  [s.forget, s.retain, s.testForget!, s.testRetain!].forEach((d) => disposeDataset(d));
}

function pairMetrics(m: ModelMetrics, gold: ModelMetrics, goldSeconds: number, seconds?: number): PairMetrics {
  const steps = (n: number | undefined): number | undefined => (n === undefined ? undefined : Math.max(1, n));
  const ain = m.relearnSteps !== undefined && gold.relearnSteps !== undefined ? steps(m.relearnSteps)! / steps(gold.relearnSteps)! : undefined;
  return {
    forgetAcc: m.forgetAcc,
    retainAcc: m.retainAcc,
    testForgetAcc: m.testForgetAcc ?? NaN,
    testRetainAcc: m.testRetainAcc ?? NaN,
    lrMia: m.lrMia,
    svcMia: m.svcMia,
    jsToGold: m.jsToGold ?? NaN,
    probeAcc: 100 * (m.probe?.forgetAccuracy ?? NaN),
    probeAuc: m.probe?.forgetAuc ?? NaN,
    avgGap: avgGap(gapMetrics(m), gapMetrics(gold)).avgGap,
    ...(m.relearnSteps !== undefined && { relearnSteps: m.relearnSteps }),
    ...(ain !== undefined && { ain }),
    ...(seconds !== undefined && { seconds, rte: runTimeEfficiency(seconds, goldSeconds).ratio }),
  };
}

function goldFor(o: ProtocolOptions, net: HeldOutNet, cls: number): ProtocolGold {
  const g = o.golds.find((x) => x.net === net.id && x.forgetClass === cls);
  if (!g) throw new Error(`no gold for net ${net.id} without class ${cls}; train it with trainGold(net, ${cls}, train)`);
  return g;
}

async function runPair(o: ProtocolOptions, net: HeldOutNet, cls: number, sets: EvaluationSets, pairIndex: number, pairs: number): Promise<ProtocolPair> {
  const gold = goldFor(o, net, cls);
  const seed = o.seed ?? 0;
  const hook = o.relearn === false ? undefined : createRelearnHook(sets, { maxSteps: 100, evalEvery: 5, seed, ...o.relearn });
  const failed: ProtocolPair['failed'] = [];
  try {
    const editorMethod = gmnWithEditor(o.editor);
    const rows = await compareMethods({
      original: net.net,
      gold: { model: gold.model, seconds: gold.seconds },
      methods: [editorMethod, ...o.methods],
      hyperparameters: o.hyperparameters,
      sets,
      seed,
      evaluate: { maxRetain: o.maxRetain ?? 2000, maxShadow: o.maxShadow ?? 500, ...(hook && { relearn: hook.relearn }) },
      onScore: (name) => o.onScore?.(pairIndex, pairs, name),
      onError: (name, err) => failed.push({ method: name, error: err instanceof Error ? err.message : String(err) }),
    });
    const goldRow = rows.find((r) => r.method === 'retrain')!;
    const editSeconds = medianEditSeconds(o, net, cls, rows.find((r) => r.method === editorMethod.name)?.seconds);
    const role = (m: string): ProtocolRole => (m === 'original' ? 'original' : m === 'retrain' ? 'gold' : m === editorMethod.name ? 'editor' : 'baseline');
    return {
      net: net.id,
      group: net.group,
      family: architectureFamily(net.net.spec),
      forgetClass: cls,
      rows: rows.map((r) => ({
        method: r.method === 'retrain' ? 'gold' : r.method === editorMethod.name ? EDITOR_ROW : r.method,
        role: role(r.method),
        metrics: pairMetrics(r.metrics, goldRow.metrics, gold.seconds, r.method === editorMethod.name ? editSeconds : r.seconds),
      })),
      curve: tradeoffCurve(o.editor, net.net, cls, sets, o.scales),
      failed,
    };
  } finally {
    hook?.dispose();
  }
}

/** Runs the protocol on every (net, class) pair; see the module doc. */
export async function runProtocol(o: ProtocolOptions): Promise<ProtocolResult> {
  const total = o.nets.length * o.classes.length;
  const timings = editTimingsOf(o);
  if (!Number.isInteger(timings) || timings < 1) throw new InvalidHyperparameterError(`editTimings=${timings}; use a whole number of timed edits ≥ 1`);
  const pairs: ProtocolPair[] = [];
  const warmupSeconds = o.warmup === false ? undefined : warmUp(o);
  for (const cls of o.classes) {
    const sets = requestSets(o.train, o.test, cls);
    try {
      for (const net of o.nets) {
        pairs.push(await runPair(o, net, cls, sets, pairs.length, total));
        o.onPair?.(pairs.length, total);
      }
    } finally {
      disposeSets(sets);
    }
  }
  return { pairs, summary: summarizeProtocol(pairs), ...(warmupSeconds !== undefined && { warmupSeconds }) };
}

/** The median of `editTimings` edit times (the lower middle one for an even count): the one compareMethods took, and that many minus one more. */
function medianEditSeconds(o: ProtocolOptions, net: HeldOutNet, cls: number, first: number | undefined): number | undefined {
  if (first === undefined) return undefined;
  const times = [first];
  for (let k = 1; k < editTimingsOf(o); k++) times.push(editSeconds(o, net, cls));
  times.sort((a, b) => a - b);
  return times[Math.floor((times.length - 1) / 2)]!;
}

/** `ProtocolOptions.editTimings`, its default filled in. */
function editTimingsOf(o: ProtocolOptions): number {
  return o.editTimings ?? 5;
}

/** Wall seconds of one edit of `net` for `cls`, whose result is freed unscored. */
function editSeconds(o: ProtocolOptions, net: HeldOutNet, cls: number): number {
  const start = performance.now();
  const edited = applyEditor(o.editor, net.net, [cls]);
  const seconds = (performance.now() - start) / 1000;
  tf.dispose([...edited.params, ...edited.buffers]);
  return seconds;
}

/** Untimed edits before the first pair (see `ProtocolOptions.warmup`). */
export const WARMUP_EDITS = 3;

/** `WARMUP_EDITS` edits of the first pair, timed together but not scored; undefined when they cannot run (the pair then reports why). */
function warmUp(o: ProtocolOptions): number | undefined {
  const net = o.nets[0];
  const cls = o.classes[0];
  if (net === undefined || cls === undefined) return undefined;
  let seconds = 0;
  try {
    for (let k = 0; k < WARMUP_EDITS; k++) seconds += editSeconds(o, net, cls);
  } catch {
    return undefined;
  }
  return seconds;
}

/** Frees the golds' tensors. */
export function disposeGolds(golds: readonly ProtocolGold[]): void {
  for (const g of golds) tf.dispose([...g.model.params, ...g.model.buffers]);
}
