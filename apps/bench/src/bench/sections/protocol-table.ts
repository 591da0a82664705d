/** The SalUn-format Markdown tables of a protocol section. */
import { formatStat, type Stat } from '../stats';
import { taskTable } from './protocol-task';
import { KIND_METRIC_NAMES, type ProtocolData, type ProtocolRequest, type ProtocolRow } from './protocol';

const GAP_COLUMNS = ['UA', 'RA', 'TA', 'MIA'] as const;

function gap(row: ProtocolRow, gold: ProtocolRow | undefined, key: (typeof GAP_COLUMNS)[number]): number | undefined {
  if (!gold || row.role === 'gold') return undefined;
  return Math.abs(row[key].mean - gold[key].mean);
}

function cell(s: Stat | undefined, digits = 2): string {
  return formatStat(s, digits);
}

/** One request's table: a row per model, the gap to gold in parentheses. */
export function requestTable(req: ProtocolRequest): string {
  const gold = req.rows.find((r) => r.role === 'gold');
  const withRelearn = req.rows.some((r) => r.relearn !== undefined);
  const kindName = KIND_METRIC_NAMES[req.request.split(':')[0] ?? ''];
  const withKind = kindName !== undefined && req.rows.some((r) => r.kindMetric !== undefined);
  const head = ['method', 'UA', 'RA', 'TA', 'MIA', ...(withKind ? [kindName] : []), 'Avg Gap', 'RTE', 'time (s)', ...(withRelearn ? ['relearn'] : [])];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`];
  for (const r of req.rows) {
    const cells = [
      r.role === 'method' ? r.method : `*${r.method}*`,
      ...GAP_COLUMNS.map((k) => formatStat(r[k], 2, gap(r, gold, k))),
      ...(withKind ? [formatStat(r.kindMetric, kindName === 'concept AUC' ? 3 : 2, gold?.kindMetric && r.role !== 'gold' && r.kindMetric ? Math.abs(r.kindMetric.mean - gold.kindMetric.mean) : undefined)] : []),
      cell(r.avgGap),
      cell(r.rte, 3),
      cell(r.seconds, 1),
      ...(withRelearn ? [cell(r.relearn, 0)] : []),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Every request's table with the legend. */
export function protocolMarkdown(d: ProtocolData): string {
  const out = [
    `${d.arch}, ${d.limit.toLocaleString('en-US')} training images, ${d.epochs} epochs (original and gold: Adam 1e-3, batch 64), ${d.seeds > 1 ? `mean ± std over ${d.seeds} seeds` : 'seed 0'}.`,
    'UA = 100 − forget accuracy, RA = retain accuracy, TA = test accuracy, MIA = SVC MIA-efficacy on D_f (all %); in parentheses the gap to gold; Avg Gap = mean of the four gaps (lower is better); RTE = time / gold retrain time.',
    "Trigger rows: ASR = attack success rate on patched test images of the other classes (%), target gold's. Feature rows: feature gap = clean − stamped accuracy on the other classes' test images (points), target gold's. Concept rows: concept AUC = a linear probe for concept membership on penultimate features, target gold's. The originals of trigger and feature rows train on the request's altered set.",
    ...(d.requests.some((r) => r.taskRows) ? ["Task rows (forget one head of a multi-head net, its original small-cnn-mt with heads label and group): the forgotten head's test accuracy, target gold's (an untrained head, near chance); probe = balanced accuracy of a linear probe for its labels on trunk features, target gold's; kept heads acc: higher is better; in parentheses the gap to gold; Avg Gap = mean of the three gaps. The group is a function of the label, so a trunk trained on the label head alone (gold's) still carries it: the probe cannot separate gold from the original here, the forgotten head's accuracy does. On a dataset other than Fashion-MNIST the group head is a fixed 3-way partition of its 10 labels."] : []),
  ];
  for (const req of d.requests) {
    out.push('', `**${req.label}**`, '');
    if (req.taskRows) out.push(req.taskRows.length > 0 ? taskTable({ ...req, taskRows: req.taskRows }, req.request.split(':')[1] ?? '') : '_no finished units_');
    else out.push(req.rows.length > 0 ? requestTable(req) : '_no finished units_');
    if (req.notApplicable.length > 0) {
      out.push('', `Not applicable to ${req.label}: ${req.notApplicable.map((n) => `${n.method} (${n.reason})`).join('; ')}`);
    }
  }
  return out.join('\n');
}
