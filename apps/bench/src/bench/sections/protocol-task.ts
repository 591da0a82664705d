/**
 * The task request's rows in a protocol section (forget one head of a multi-head net). Its
 * original is a multi-head net of its own (small-cnn-mt: heads label and group), gold is that
 * net trained without the forgotten head, and its methods are the ones `unlearnTask` adapts;
 * every other method assumes one head and is listed as not applicable. Its columns are the
 * task's own measures (`evaluateTask`): the forgotten head's accuracy and the trunk probe for
 * its labels (both against gold's), and the kept heads' accuracy.
 */
import { TASK_METHODS, type TaskMetrics } from '@metanet/unlearning';
import { runTimeEfficiency } from '@metanet/metrics';
import type { BenchSettings } from '../settings';
import { formatStat, stat, type Stat } from '../stats';
import type { Json, Unit } from '../units';
import type { ProtocolRequest } from './protocol';

/** One model's row of a task request: accuracies in %, each mean ± std over seeds. */
export interface TaskProtocolRow {
  method: string;
  role: 'original' | 'gold' | 'method';
  /** Test accuracy of the forgotten head (target gold's, near chance). */
  forgetHead: Stat;
  /** Balanced accuracy of a linear probe for the forgotten head's labels on trunk features (target gold's). */
  probe: Stat;
  /** Mean test accuracy of the kept heads (higher is better). */
  keptHeads: Stat;
  /** Mean of the three gaps to gold. */
  avgGap?: Stat;
  rte?: Stat;
  seconds?: Stat;
}

/** Unit ids of one task request and seed. */
export interface TaskIds {
  originalUnit: string;
  originalNet: string;
  goldUnit: string;
  goldNet: string;
  method(m: string): string;
}

/** The task methods a run scores: those of --methods that `unlearnTask` adapts, plus reinit-head (the task's filter baseline). */
export function taskMethods(s: BenchSettings): string[] {
  return TASK_METHODS.filter((m) => m !== 'retrain' && (m === 'reinit-head' || s.methods.includes(m)));
}

/** A task request's units by stage: the multi-head original, gold, one unit per task method. */
export function planTask(s: BenchSettings, base: { [key: string]: Json }, arch: string, head: string, seed: number, id: TaskIds): Unit[][] {
  const common = { ...base, arch, seed, head, original: id.originalNet };
  return [
    [{ id: id.originalUnit, kind: 'task-original', params: { ...base, arch, seed, net: id.originalNet } }],
    [{ id: id.goldUnit, kind: 'task-gold', params: { ...common, net: id.goldNet } }],
    taskMethods(s).map((m) => ({ id: id.method(m), kind: 'task-method', params: { ...common, method: m } })),
  ];
}

type Scored = { m: TaskMetrics; gold: TaskMetrics; seconds?: number; goldSeconds: number };

function taskRow(method: string, role: TaskProtocolRow['role'], entries: Scored[]): TaskProtocolRow {
  const pick = (f: (e: Scored) => number | undefined): Stat | undefined => {
    const v = entries.map(f).filter((x): x is number => x !== undefined && Number.isFinite(x));
    return v.length > 0 ? stat(v) : undefined;
  };
  const gap = (e: Scored): number =>
    (Math.abs(e.m.forgetHeadAccuracy - e.gold.forgetHeadAccuracy) + Math.abs(e.m.probeAccuracy - e.gold.probeAccuracy) + Math.abs(e.m.retainAccuracy - e.gold.retainAccuracy)) / 3;
  const avgGap = pick(gap);
  const rte = pick((e) => (e.seconds === undefined ? undefined : runTimeEfficiency(e.seconds, e.goldSeconds).ratio));
  const seconds = pick((e) => e.seconds);
  return {
    method,
    role,
    forgetHead: stat(entries.map((e) => e.m.forgetHeadAccuracy)),
    probe: stat(entries.map((e) => e.m.probeAccuracy)),
    keptHeads: stat(entries.map((e) => e.m.retainAccuracy)),
    ...(avgGap && { avgGap }),
    ...(rte && { rte }),
    ...(seconds && { seconds }),
  };
}

type GoldResult = { seconds: number; gold: TaskMetrics; original: TaskMetrics };
type MethodResult = { seconds: number; metrics: TaskMetrics };
type NotApplicable = { notApplicable: string };

/** A task request's summary: original, gold and each task method, and the methods that assume one head. */
export function summarizeTask(s: BenchSettings, request: string, label: string, seeds: number, ids: (seed: number) => TaskIds, results: ReadonlyMap<string, Json>): ProtocolRequest {
  const perSeed = Array.from({ length: seeds }, (_, seed) => ({ id: ids(seed), gold: results.get(ids(seed).goldUnit) as GoldResult | NotApplicable | undefined }));
  const notApplicable: ProtocolRequest['notApplicable'] = [];
  const refused = perSeed.find((p) => p.gold !== undefined && 'notApplicable' in p.gold)?.gold as NotApplicable | undefined;
  if (refused) notApplicable.push({ method: 'every method', reason: refused.notApplicable });
  const withGold = perSeed.filter((p): p is { id: TaskIds; gold: GoldResult } => p.gold !== undefined && !('notApplicable' in p.gold));
  const taskRows: TaskProtocolRow[] = [];
  if (withGold.length > 0) {
    taskRows.push(taskRow('original', 'original', withGold.map((p) => ({ m: p.gold.original, gold: p.gold.gold, goldSeconds: p.gold.seconds }))));
    taskRows.push(taskRow('retrain (gold)', 'gold', withGold.map((p) => ({ m: p.gold.gold, gold: p.gold.gold, seconds: p.gold.seconds, goldSeconds: p.gold.seconds }))));
  }
  for (const m of taskMethods(s)) {
    const entries = withGold.flatMap((p) => {
      const r = results.get(p.id.method(m)) as MethodResult | NotApplicable | undefined;
      if (!r) return [];
      if ('notApplicable' in r) {
        if (!notApplicable.some((n) => n.method === m)) notApplicable.push({ method: m, reason: r.notApplicable });
        return [];
      }
      return [{ m: r.metrics, gold: p.gold.gold, seconds: r.seconds, goldSeconds: p.gold.seconds }];
    });
    if (entries.length > 0) taskRows.push(taskRow(m, 'method', entries));
  }
  const single = s.methods.filter((m) => !(TASK_METHODS as readonly string[]).includes(m));
  if (single.length > 0 && !refused) notApplicable.push({ method: single.join(', '), reason: `each assumes one head; a task request takes ${TASK_METHODS.join(', ')}` });
  return { request, label, rows: [], taskRows, notApplicable };
}

/** A task request's Markdown table: a row per model, the gap to gold in parentheses. */
export function taskTable(req: ProtocolRequest & { taskRows: TaskProtocolRow[] }, head: string): string {
  const gold = req.taskRows.find((r) => r.role === 'gold');
  const withGap = (r: TaskProtocolRow, key: 'forgetHead' | 'probe' | 'keptHeads'): string =>
    formatStat(r[key], 2, gold && r.role !== 'gold' ? Math.abs(r[key].mean - gold[key].mean) : undefined);
  const head_ = ['method', `${head} acc (forget)`, `probe ${head}`, 'kept heads acc', 'Avg Gap', 'RTE', 'time (s)'];
  const lines = [`| ${head_.join(' | ')} |`, `| ${head_.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`];
  for (const r of req.taskRows) {
    const name = r.role === 'method' ? r.method : `*${r.method}*`;
    lines.push(`| ${[name, withGap(r, 'forgetHead'), withGap(r, 'probe'), withGap(r, 'keptHeads'), formatStat(r.avgGap), formatStat(r.rte, 3), formatStat(r.seconds, 1)].join(' | ')} |`);
  }
  return lines.join('\n');
}
