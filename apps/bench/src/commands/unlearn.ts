import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { datasetSize, writeDirAtomic, writeFileAtomic } from '@metanet/data';
import { hostValues, netToTensors, saveNet, type SavedNet } from '@metanet/nets';
import { backendInfo, initBackend, tf } from '@metanet/tensor';
import {
  METHODS,
  buildRequest,
  checkMethodServes,
  checkNetFitsDataset,
  compareMethods,
  comparisonTableRows,
  createRelearnHook,
  evaluationSets,
  getMethod,
  NetDatasetMismatchError,
  requestLabel,
  REQUEST_GRAMMAR,
  type ForgetRequest,
  type TrainedNet,
} from '@metanet/unlearning';
import { DATASET_CHOICES, disposeAll, loadTrainTest } from '../datasets';
import { CliUsageError } from '../errors';
import { int } from '../flags';
import { parseColumns, printedTable, tableLines, terminalWidth } from '../metrics-table';
import { checkGold, checkRecordedDataset, datasetRecord, sameWeights } from '../net-checks';
import { resolveNet } from '../net-source';
import { emit, table } from '../output';
import { createPhases } from '../progress';
import { ALTERS_TRAINING, requestFromFlags } from '../request-flags';
import { runTaskUnlearn } from '../task-unlearn';

interface UnlearnCliOptions {
  method?: string;
  list?: boolean;
  net?: string;
  spec?: string;
  request?: string;
  forgetClass?: string;
  forgetFraction?: string;
  dataset: string;
  dataDir?: string;
  limit?: string;
  gold?: string;
  out?: string;
  seed: string;
  hp?: string;
  columns?: string;
  allowDatasetMismatch?: boolean;
  json?: boolean;
}


function parseHyperparameters(raw: string | undefined): Record<string, number | boolean | string> {
  if (raw === undefined) return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new CliUsageError(`--hp must be a JSON object, e.g. '{"epochs":2,"lr":0.01}', got ${raw}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new CliUsageError(`--hp must be a JSON object, e.g. '{"epochs":2}'`);
  return v as Record<string, number | boolean | string>;
}

async function asNet(path: string, spec?: string): Promise<{ net: TrainedNet; meta: Record<string, unknown> }> {
  const resolved = await resolveNet(path, { spec });
  for (const note of resolved.notes) process.stderr.write(`${note}\n`);
  const loaded = netToTensors(resolved);
  return { net: { spec: loaded.spec, params: loaded.params, buffers: loaded.buffers }, meta: loaded.meta };
}

/** The label of a request a manifest records, or undefined. */
function requestLabelOf(r: unknown): string | undefined {
  return typeof r === 'object' && r !== null && typeof (r as { kind?: unknown }).kind === 'string' ? requestLabel(r as ForgetRequest) : undefined;
}

function disposeNet(n: TrainedNet): void {
  tf.dispose([...n.params, ...n.buffers]);
}

/** Host copies of a model's tensors, so it can be saved after compareMethods has disposed it. */
function hostCopy(n: TrainedNet): SavedNet {
  return { spec: n.spec, params: n.params.map(hostValues), buffers: n.buffers.map(hostValues) };
}

function listMethods(json: boolean | undefined): void {
  const payload = METHODS.map((m) => ({ name: m.name, description: m.description, defaults: m.defaults }));
  emit({ json }, payload, () =>
    table([
      ['method', 'description', 'defaults'],
      ...payload.map((m) => [m.name, m.description, Object.entries(m.defaults).map(([k, v]) => `${k}=${String(v)}`).join(' ')]),
    ]),
  );
}

/** Refuses to overwrite a non-empty --out, so a failed run can never be mistaken for a finished one. */
function checkOut(out: string): void {
  if (existsSync(out) && readdirSync(out).length > 0) throw new CliUsageError(`${out} already exists and is not empty; choose another --out or remove it`);
}

/** `metanet unlearn`: one method on one request, scored with every metric beside the original (and gold). */
export function register(program: Command): void {
  program
    .command('unlearn')
    .description('run one unlearning method on one forget request and print every metric, with the original and gold rows beside it')
    .option('--method <name>', 'method name (see --list)')
    .option('--list', 'list the methods with their default hyperparameters')
    .option('--net <path>', 'the original trained net: a bundle saved by `metanet train`, a .onnx, a Keras model.json or a .safetensors')
    .option('--spec <file>', 'NetSpec JSON for a .safetensors --net whose spec cannot be inferred')
    .option('--request <r>', `the forget request: ${REQUEST_GRAMMAR}`)
    .option('--forget-class <c>', 'alias of --request class:C, e.g. 0 or 0,3')
    .option('--forget-fraction <p>', 'alias of --request random:P, e.g. 0.1')
    .option('--dataset <name>', DATASET_CHOICES.join(', '), 'fashion-mnist')
    .option('--data-dir <dir>', 'dataset directory (default: auto-detect or METANET_DATA_DIR)')
    .option('--limit <k>', 'use only the first K training (and test) examples')
    .option('--gold <dir>', 'a retrained (gold) net for the same request: adds the gold row, distances to gold, Avg Gap and RTE')
    .option('--out <dir>', 'write the unlearned net and results.json here (all or nothing)')
    .option('--seed <s>', 'seed of the request split and the method', '0')
    .option('--hp <json>', 'hyperparameter overrides as JSON, e.g. \'{"epochs":2}\'')
    .option('--columns <list>', 'table columns: all, or a comma list (default forget,retain,test-retain,SVC-MIA,probe-AUC,relearn,avg-gap,RTE)')
    .option('--allow-dataset-mismatch', 'score a net on another dataset than the one its manifest records')
    .option('--json', 'machine-readable output')
    .action(async (opts: UnlearnCliOptions) => {
      if (opts.list) {
        listMethods(opts.json);
        return;
      }
      if (!opts.method) throw new CliUsageError('--method is required (see metanet unlearn --list)');
      if (!opts.net) throw new CliUsageError('--net <dir> is required: the trained original');
      const request = requestFromFlags(opts);
      const seed = int(opts.seed, '--seed', 0);
      const limit = opts.limit === undefined ? undefined : int(opts.limit, '--limit', 10);
      const hp = parseHyperparameters(opts.hp);
      if (request.kind === 'task') {
        if (opts.out) checkOut(opts.out);
        await initBackend();
        const flags = { method: opts.method, net: opts.net, gold: opts.gold, dataset: opts.dataset, dataDir: opts.dataDir, limit, seed, hp, out: opts.out, allowDatasetMismatch: opts.allowDatasetMismatch, json: opts.json };
        await runTaskUnlearn(flags, request, (path) => asNet(path, opts.spec));
        return;
      }
      const method = getMethod(opts.method);
      checkMethodServes(method, request.kind);
      const columns = parseColumns(opts.columns);
      if (opts.out) checkOut(opts.out);
      await initBackend();

      const { net: original, meta: originalMeta } = await asNet(opts.net, opts.spec);
      const owned: TrainedNet[] = [original];
      const goldNet = opts.gold ? await asNet(opts.gold, opts.spec) : undefined;
      if (goldNet) owned.push(goldNet.net);
      const data = await loadTrainTest(opts.dataset, { seed, ...(limit !== undefined && { limit }), ...(opts.dataDir !== undefined && { dataDir: opts.dataDir }) });
      if (data.notice) process.stderr.write(`${data.notice}\n`);
      let sets: ReturnType<typeof buildRequest> | undefined;
      let hook: ReturnType<typeof createRelearnHook> | undefined;
      const phases = createPhases(opts.json);
      try {
        const numClasses = data.train.classNames.length;
        const warnings: string[] = [];
        const allow = opts.allowDatasetMismatch === true;
        warnings.push(checkRecordedDataset(originalMeta, data, `--net ${opts.net}`, allow) ?? '');
        checkNetFitsDataset(original, data.train, numClasses);
        if (goldNet && opts.gold) {
          warnings.push(checkRecordedDataset(goldNet.meta, data, `--gold ${opts.gold}`, allow) ?? '');
          checkNetFitsDataset(goldNet.net, data.train, numClasses);
          if (JSON.stringify(goldNet.net.spec.layers) !== JSON.stringify(original.spec.layers)) {
            throw new NetDatasetMismatchError(`--gold ${opts.gold} has another architecture than --net ${opts.net}; retrain the same spec`);
          }
          const identical = sameWeights(original.params, goldNet.net.params);
          warnings.push(checkGold({ goldDir: opts.gold, netDir: opts.net, goldMeta: goldNet.meta, request, seed, identical }) ?? '');
        }
        if (ALTERS_TRAINING.has(request.kind) && requestLabelOf(originalMeta.trainingRequest) !== requestLabel(request)) {
          warnings.push(`warning: a ${request.kind} request expects an original trained on the altered set; train one with metanet train --request ${opts.request ?? request.kind}`);
        }
        for (const w of warnings.filter(Boolean)) process.stderr.write(`metanet: ${w}\n`);
        sets = buildRequest(request, data, seed);
        const label = requestLabel(request);
        const ev = evaluationSets(sets);
        hook = createRelearnHook(ev, { seed, maxSteps: 100, evalEvery: 5 });
        const goldSeconds = goldNet && typeof goldNet.meta.seconds === 'number' && goldNet.meta.seconds > 0 ? goldNet.meta.seconds : undefined;
        let unlearned: SavedNet | undefined;
        const rows = await compareMethods({
          original,
          ...(goldNet && { gold: { model: goldNet.net, ...(goldSeconds !== undefined && { seconds: goldSeconds }) } }),
          goldLabel: 'retrain (gold)',
          methods: [method],
          hyperparameters: { [method.name]: hp },
          sets: ev,
          seed,
          evaluate: { relearn: hook.relearn, maxRetain: 5000 },
          onProgress: (done, total) => phases.phase(`${method.name} (${label})`, total).update(done),
          onScore: (_name, index, total) => phases.phase('scoring', total).update(index),
          onModel: (_name, model) => {
            if (opts.out) unlearned = hostCopy(model);
          },
        });
        phases.phase('scoring', rows.length).update(rows.length);
        phases.stop();
        const result = rows.find((r) => r.method === method.name);
        const steps = result?.steps ?? 0;
        const seconds = result?.seconds ?? 0;

        const payload = {
          method: method.name,
          hyperparameters: { ...method.defaults, ...hp },
          request,
          dataset: data.description,
          backend: backendInfo().name,
          seed,
          sizes: { forget: datasetSize(sets.train.forget), retain: datasetSize(sets.train.retain), test: datasetSize(data.test) },
          steps,
          seconds,
          rows: comparisonTableRows(rows),
          out: opts.out ?? null,
        };
        if (opts.out && unlearned) {
          // All or nothing: the net and results.json appear together or not at all.
          const net = unlearned;
          writeDirAtomic(opts.out, (tmp) => {
            // The request, seed and dataset let a later `--gold` check that this net was retrained for the same request.
            const meta = { method: method.name, hyperparameters: payload.hyperparameters, request, seed, seconds, dataset: data.description, datasetInfo: datasetRecord(data) };
            saveNet(join(tmp, 'net'), { ...net, meta });
            writeFileAtomic(join(tmp, 'results.json'), `${JSON.stringify(payload, null, 2)}\n`);
          });
        }
        emit(opts, payload, () =>
          [
            `${method.name} on ${label} of ${data.description}`,
            `|D_f| = ${payload.sizes.forget}, |D_r| = ${payload.sizes.retain}; ${steps} steps in ${seconds.toFixed(1)} s (${payload.backend})`,
            ...tableLines(printedTable(rows, request, columns, terminalWidth(), 'retrain (gold)')),
            goldNet ? '' : 'Pass --gold DIR (a net retrained without D_f) for the gold row, distances to gold, Avg Gap and RTE.',
            opts.out ? `saved the unlearned net and results.json to ${opts.out}` : '',
          ]
            .filter(Boolean)
            .join('\n'),
        );
      } finally {
        phases.stop();
        hook?.dispose();
        sets?.dispose();
        owned.forEach(disposeNet);
        disposeAll(data.train, data.test);
      }
    });
}
