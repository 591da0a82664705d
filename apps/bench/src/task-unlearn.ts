/**
 * `metanet unlearn --request task:HEAD`: forget one head of a multi-head net
 * (see @metanet/unlearning src/task/). A task request has no forget set of
 * samples, so it does not go through `compareMethods`' sample metrics: each
 * model (original, gold with --gold, the unlearned one) is scored by
 * `evaluateTask` (every head's test accuracy and the trunk probe for the
 * forgotten head's labels).
 */
import { join } from 'node:path';
import { writeDirAtomic, writeFileAtomic } from '@metanet/data';
import { hostValues, saveNet } from '@metanet/nets';
import { backendInfo, tf } from '@metanet/tensor';
import { checkTaskMethod, evaluateTask, NetDatasetMismatchError, TASK_DEFAULTS, unlearnTask, type TaskMetrics, type TaskRequest, type TrainedNet } from '@metanet/unlearning';
import { findHead } from '@metanet/spec';
import { disposeAll, loadTrainTest } from './datasets';
import { CliUsageError } from './errors';
import { checkRecordedDataset, datasetRecord } from './net-checks';
import { emit, table } from './output';
import { createPhases } from './progress';

/** The flags of `metanet unlearn` a task request reads. */
export interface TaskUnlearnFlags {
  method: string;
  net: string;
  gold?: string;
  dataset: string;
  dataDir?: string;
  limit?: number;
  seed: number;
  hp: Record<string, number | boolean | string>;
  out?: string;
  allowDatasetMismatch?: boolean;
  json?: boolean;
}

type LoadNet = (path: string) => Promise<{ net: TrainedNet; meta: Record<string, unknown> }>;

/** One row of the task table: a model and its task metrics. */
export interface TaskRow extends TaskMetrics {
  model: string;
  seconds: number | null;
}

function dispose(n: TrainedNet): void {
  tf.dispose([...n.params, ...n.buffers]);
}

/** Runs one task method on `--net` and prints (or returns as JSON) original, gold and unlearned side by side. */
export async function runTaskUnlearn(flags: TaskUnlearnFlags, request: TaskRequest, load: LoadNet): Promise<void> {
  const method = checkTaskMethod(flags.method);
  const { net: original, meta } = await load(flags.net);
  if (!original.spec.heads?.length) {
    dispose(original);
    throw new CliUsageError(`--request task:${request.head} needs a multi-head net, and ${flags.net} has one head; pass a net whose spec names its heads (metanet train --heads label,group)`);
  }
  const owned: TrainedNet[] = [original];
  const data = await loadTrainTest(flags.dataset, { seed: flags.seed, ...(flags.limit !== undefined && { limit: flags.limit }), ...(flags.dataDir !== undefined && { dataDir: flags.dataDir }) });
  if (data.notice) process.stderr.write(`${data.notice}\n`);
  const phases = createPhases(flags.json);
  try {
    const allow = flags.allowDatasetMismatch === true;
    const warn = checkRecordedDataset(meta, data, `--net ${flags.net}`, allow);
    if (warn) process.stderr.write(`metanet: ${warn}\n`);
    const head = findHead(original.spec, request.head);
    const gold = flags.gold ? await load(flags.gold) : undefined;
    if (gold) {
      owned.push(gold.net);
      if (JSON.stringify(gold.net.spec) !== JSON.stringify(original.spec)) throw new NetDatasetMismatchError(`--gold ${flags.gold} has another spec than --net ${flags.net}; retrain the same spec (metanet unlearn --request task:${head.name} --method retrain --out DIR)`);
    }
    const r = await unlearnTask(method, { model: original, head: head.name, train: data.train, seed: flags.seed, onProgress: (d, t) => phases.phase(`${method} (task:${head.name})`, t).update(d) }, flags.hp);
    owned.push(r.model);
    const models: [string, TrainedNet, number | null][] = [['original', original, null], ...(gold ? [['retrain (gold)', gold.net, null] as [string, TrainedNet, null]] : []), [method, r.model, r.seconds]];
    const rows: TaskRow[] = models.map(([name, m, seconds], k) => {
      phases.phase('scoring', models.length).update(k);
      return { model: name, seconds, ...evaluateTask(m, data.test, head.name, { seed: flags.seed }) };
    });
    phases.stop();
    const hyperparameters = { ...TASK_DEFAULTS[method], ...flags.hp };
    const payload = { method, hyperparameters, request, dataset: data.description, backend: backendInfo().name, seed: flags.seed, steps: r.steps, seconds: r.seconds, rows, out: flags.out ?? null };
    if (flags.out) {
      const saved = { spec: r.model.spec, params: r.model.params.map(hostValues), buffers: r.model.buffers.map(hostValues) };
      writeDirAtomic(flags.out, (tmp) => {
        saveNet(join(tmp, 'net'), { ...saved, meta: { method, hyperparameters, request, seed: flags.seed, seconds: r.seconds, dataset: data.description, datasetInfo: datasetRecord(data) } });
        writeFileAtomic(join(tmp, 'results.json'), `${JSON.stringify(payload, null, 2)}\n`);
      });
    }
    const heads = Object.keys(rows[0]?.headAccuracy ?? {});
    const f = (v: number): string => v.toFixed(1);
    emit({ json: flags.json }, payload, () =>
      [
        `${method} on task:${head.name} of ${data.description}; ${r.steps} steps in ${r.seconds.toFixed(1)} s (${payload.backend})`,
        table([
          ['model', ...heads.map((h) => `${h} acc${h === head.name ? ' (forget)' : ''}`), `probe ${head.name}`, 'seconds'],
          ...rows.map((row) => [row.model, ...heads.map((h) => f(row.headAccuracy[h] as number)), f(row.probeAccuracy), row.seconds === null ? '—' : row.seconds.toFixed(1)]),
        ]),
        `Accuracies in % on the test set. ${head.name} acc: lower is better, target gold's (an untrained head, near chance). probe ${head.name}: balanced accuracy of a linear probe for ${head.name}'s labels on trunk features (chance ${f(100 / head.units)}); target gold's. Kept heads: higher is better.`,
        gold ? '' : `Pass --gold DIR (metanet unlearn --request task:${head.name} --method retrain --out DIR) for the gold row.`,
        flags.out ? `saved the unlearned net and results.json to ${flags.out}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  } finally {
    phases.stop();
    owned.forEach(dispose);
    disposeAll(data.train, data.test);
  }
}
