/**
 * The unlearning protocol behind the homework and methods sections: train the original per
 * seed, retrain gold per request and seed, then every method × request × seed, scored against
 * gold. Tables follow SalUn (Fan et al. 2024): each method's UA, RA, TA and MIA-efficacy cell
 * carries its gap to gold in parentheses, then Avg Gap and RTE.
 */
import { avgGap, runTimeEfficiency } from '@metanet/metrics';
import { gapMetrics, requestLabel, parseRequest, type ModelMetrics } from '@metanet/unlearning';
import type { BenchSettings } from '../settings';
import type { PlotSpec, Section } from '../section';
import { stat, type Stat } from '../stats';
import type { Json, Unit } from '../units';
import { goldUnit, methodUnit, trainOriginal } from './unlearning-units';
import { protocolMarkdown } from './protocol-table';
import { forgetUtilityPlot, miaPlot, scoreRuntimePlot } from '../plots';
import { planTask, summarizeTask, type TaskProtocolRow } from './protocol-task';
import { taskGoldUnit, taskMethodUnit, taskOriginalUnit } from './task-units';

export interface ProtocolRow {
  method: string;
  role: 'original' | 'gold' | 'method';
  UA: Stat;
  RA: Stat;
  TA: Stat;
  /** SVC MIA-efficacy in percent. */
  MIA: Stat;
  avgGap?: Stat;
  rte?: Stat;
  seconds?: Stat;
  relearn?: Stat;
  /** The request kind's own measure: trigger: the attack success rate (%); feature: the clean − stamped accuracy gap (points); concept: the membership probe's AUC. */
  kindMetric?: Stat;
}

export interface ProtocolRequest {
  request: string;
  label: string;
  rows: ProtocolRow[];
  /** A task request's rows (its own columns; `rows` is then empty). */
  taskRows?: TaskProtocolRow[];
  /** Methods that do not apply to this request kind, with the reason. */
  notApplicable: Array<{ method: string; reason: string }>;
}

export interface ProtocolData {
  arch: string;
  seeds: number;
  limit: number;
  epochs: number;
  requests: ProtocolRequest[];
}

export interface ProtocolOptions {
  name: string;
  title: string;
  arch: string;
  requests: string[];
  /** The multi-head architecture a task request's original uses (its heads name the request's head). */
  taskArch?: string;
  seeds(s: BenchSettings): number;
  sizes(s: BenchSettings): { limit: number; epochs: number; relearnSteps: number };
  /** Which plots this section draws. */
  plots: Array<'forget-utility' | 'mia' | 'score-runtime'>;
}

interface SeedResult {
  gold?: { seconds: number; gold: ModelMetrics; original: ModelMetrics } | { notApplicable: string };
  methods: Map<string, { seconds: number; metrics: ModelMetrics } | { notApplicable: string }>;
}

/** Request kinds whose original trains on the request's altered set (stamped or poisoned), one original per request. */
const ALTERS_TRAINING = new Set(['trigger', 'feature']);
/** Request kinds with an original of their own: those that alter training, and task (a multi-head net). */
const OWN_ORIGINAL = new Set([...ALTERS_TRAINING, 'task']);

/** The request kind's own measure of one model, as `ProtocolRow.kindMetric` reports it. */
export function kindMetric(kind: string, m: ModelMetrics): number | undefined {
  if (kind === 'trigger') return m.testForgetAcc;
  if (kind === 'feature') return m.feature?.accuracyGap;
  if (kind === 'concept') return m.concept?.auc;
  return undefined;
}

/** The kind-metric column's name in the Markdown table. */
export const KIND_METRIC_NAMES: Record<string, string> = { trigger: 'ASR', feature: 'feature gap', concept: 'concept AUC' };

function ids(o: ProtocolOptions, label: string, seed: number, request?: string) {
  const own = request !== undefined && OWN_ORIGINAL.has(parseRequest(request).kind);
  return {
    originalUnit: own ? `${o.name}/original/${label}/s${seed}` : `${o.name}/original/s${seed}`,
    originalNet: own ? `${o.name}-original-${label}-s${seed}` : `${o.name}-original-s${seed}`,
    goldUnit: `${o.name}/gold/${label}/s${seed}`,
    goldNet: `${o.name}-gold-${label}-s${seed}`,
    method: (m: string) => `${o.name}/method/${label}/${m}/s${seed}`,
  };
}

function plan(o: ProtocolOptions, s: BenchSettings): Unit[][] {
  const { limit, epochs, relearnSteps } = o.sizes(s);
  const seeds = Array.from({ length: o.seeds(s) }, (_, i) => i);
  const base = { arch: o.arch, limit, epochs, relearnSteps };
  const originals: Unit[] = seeds.map((seed) => {
    const id = ids(o, '', seed);
    return { id: id.originalUnit, kind: 'train-original', params: { ...base, seed, net: id.originalNet } };
  });
  const golds: Unit[] = [];
  const methods: Unit[] = [];
  for (const request of o.requests) {
    const parsed = parseRequest(request);
    const label = requestLabel(parsed);
    for (const seed of seeds) {
      const id = ids(o, label, seed, request);
      if (parsed.kind === 'task') {
        const [orig, gold, meth] = planTask(s, { limit, epochs }, o.taskArch ?? 'small-cnn-mt', parsed.head, seed, id);
        originals.push(...orig!);
        golds.push(...gold!);
        methods.push(...meth!);
        continue;
      }
      if (id.originalUnit !== ids(o, '', seed).originalUnit) originals.push({ id: id.originalUnit, kind: 'train-original', params: { ...base, seed, net: id.originalNet, request } });
      const common = { ...base, seed, request, original: id.originalNet };
      golds.push({ id: id.goldUnit, kind: 'gold', params: { ...common, net: id.goldNet } });
      for (const m of s.methods) methods.push({ id: id.method(m), kind: 'method', params: { ...common, method: m, gold: id.goldNet } });
    }
  }
  return [originals, golds, methods];
}

function gapsOf(m: ModelMetrics, gold: ModelMetrics): number {
  return avgGap(gapMetrics(m), gapMetrics(gold)).avgGap;
}

function row(method: string, role: ProtocolRow['role'], entries: Array<{ m: ModelMetrics; gold: ModelMetrics; seconds?: number; goldSeconds: number }>, kind: string): ProtocolRow {
  const pick = (f: (e: (typeof entries)[number]) => number | undefined): Stat | undefined => {
    const v = entries.map(f).filter((x): x is number => x !== undefined && Number.isFinite(x));
    return v.length > 0 ? stat(v) : undefined;
  };
  const r: ProtocolRow = {
    method,
    role,
    UA: stat(entries.map((e) => e.m.UA)),
    RA: stat(entries.map((e) => e.m.RA)),
    TA: stat(entries.map((e) => e.m.TA)),
    MIA: stat(entries.map((e) => 100 * e.m.svcMia)),
  };
  const gap = pick((e) => gapsOf(e.m, e.gold));
  const rte = pick((e) => (e.seconds === undefined ? undefined : runTimeEfficiency(e.seconds, e.goldSeconds).ratio));
  const seconds = pick((e) => e.seconds);
  const relearn = pick((e) => e.m.relearnSteps);
  const own = pick((e) => kindMetric(kind, e.m));
  return { ...r, ...(gap && { avgGap: gap }), ...(rte && { rte }), ...(seconds && { seconds }), ...(relearn && { relearn }), ...(own && { kindMetric: own }) };
}

function summarizeRequest(o: ProtocolOptions, s: BenchSettings, request: string, results: ReadonlyMap<string, Json>): ProtocolRequest {
  const kind = parseRequest(request).kind;
  const label = requestLabel(parseRequest(request));
  if (kind === 'task') return summarizeTask(s, request, label, o.seeds(s), (seed) => ids(o, label, seed, request), results);
  const perSeed: SeedResult[] = Array.from({ length: o.seeds(s) }, (_, seed) => {
    const id = ids(o, label, seed);
    const gold = results.get(id.goldUnit) as SeedResult['gold'] | undefined;
    const methods = new Map(s.methods.flatMap((m) => {
      const r = results.get(id.method(m));
      return r === undefined ? [] : [[m, r as { seconds: number; metrics: ModelMetrics } | { notApplicable: string }] as const];
    }));
    return { gold, methods };
  });
  type GoldResult = Exclude<NonNullable<SeedResult['gold']>, { notApplicable: string }>;
  const withGold = perSeed.filter((p): p is SeedResult & { gold: GoldResult } => p.gold !== undefined && !('notApplicable' in p.gold));
  const rows: ProtocolRow[] = [];
  const notApplicable: ProtocolRequest['notApplicable'] = [];
  const refused = perSeed.find((p) => p.gold !== undefined && 'notApplicable' in p.gold)?.gold;
  if (refused && 'notApplicable' in refused) notApplicable.push({ method: 'every method', reason: refused.notApplicable });
  if (withGold.length > 0) {
    rows.push(row('original', 'original', withGold.map((p) => ({ m: p.gold.original, gold: p.gold.gold, goldSeconds: p.gold.seconds })), kind));
    rows.push(row('retrain (gold)', 'gold', withGold.map((p) => ({ m: p.gold.gold, gold: p.gold.gold, seconds: p.gold.seconds, goldSeconds: p.gold.seconds })), kind));
  }
  for (const m of s.methods) {
    const entries = withGold.flatMap((p) => {
      const r = p.methods.get(m);
      if (!r) return [];
      if ('notApplicable' in r) {
        if (!notApplicable.some((n) => n.method === m)) notApplicable.push({ method: m, reason: r.notApplicable });
        return [];
      }
      return [{ m: r.metrics, gold: p.gold.gold, seconds: r.seconds, goldSeconds: p.gold.seconds }];
    });
    if (entries.length > 0) rows.push(row(m, 'method', entries, kind));
  }
  return { request, label, rows, notApplicable };
}

/** A protocol section (homework, methods) from its options. */
export function protocolSection(o: ProtocolOptions): Section {
  return {
    name: o.name,
    title: o.title,
    plan: (s) => plan(o, s),
    executors: { 'train-original': trainOriginal, gold: goldUnit, method: methodUnit, 'task-original': taskOriginalUnit, 'task-gold': taskGoldUnit, 'task-method': taskMethodUnit },
    summarize(s, results) {
      const { limit, epochs } = o.sizes(s);
      const data: ProtocolData = { arch: o.arch, seeds: o.seeds(s), limit, epochs, requests: o.requests.map((r) => summarizeRequest(o, s, r, results)) };
      return data as unknown as Json;
    },
    markdown: (data) => protocolMarkdown(data as unknown as ProtocolData),
    plots(data) {
      const d = data as unknown as ProtocolData;
      const out: PlotSpec[] = [];
      if (o.plots.includes('forget-utility')) out.push(forgetUtilityPlot(o.name, d));
      if (o.plots.includes('mia')) out.push(miaPlot(o.name, d));
      if (o.plots.includes('score-runtime')) out.push(scoreRuntimePlot(o.name, d));
      return out;
    },
  };
}
