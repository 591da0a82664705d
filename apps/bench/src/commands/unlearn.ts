import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import type { Command } from 'commander';
import { datasetSize, disposeDataset, loadFashionMnist, syntheticShapes, type Dataset } from '@metanet/data';
import { loadNet, saveNet } from '@metanet/nets';
import { backendInfo, initBackend, tf } from '@metanet/tensor';
import { avgGap, runTimeEfficiency } from '@metanet/metrics';
import {
  METHODS,
  buildRequest,
  checkNetFitsDataset,
  comparisonTable,
  comparisonTableRows,
  createRelearnHook,
  evaluateModel,
  evaluationSets,
  getMethod,
  NetDatasetMismatchError,
  requestLabel,
  type ComparisonRow,
  type ForgetRequest,
  type ModelMetrics,
  type TrainedNet,
} from '@metanet/unlearning';
import { CliUsageError } from '../errors';
import { int } from '../flags';
import { emit, table } from '../output';
import { createProgress, type Progress } from '../progress';

interface UnlearnCliOptions {
  method?: string;
  list?: boolean;
  net?: string;
  forgetClass?: string;
  forgetFraction?: string;
  dataset: string;
  dataDir?: string;
  limit?: string;
  gold?: string;
  out?: string;
  seed: string;
  hp?: string;
  json?: boolean;
}


function parseRequestFlags(opts: UnlearnCliOptions): ForgetRequest {
  if ((opts.forgetClass === undefined) === (opts.forgetFraction === undefined)) {
    throw new CliUsageError('pass exactly one of --forget-class C[,C…] or --forget-fraction P');
  }
  if (opts.forgetClass !== undefined) {
    const classes = opts.forgetClass.split(',').map((c) => {
      const v = Number(c);
      if (c.trim() === '' || !Number.isInteger(v)) throw new CliUsageError(`--forget-class takes integers separated by commas, got "${opts.forgetClass}"`);
      return v;
    });
    return { kind: 'class', classes };
  }
  const p = Number(opts.forgetFraction);
  if (!(p > 0 && p < 1)) throw new CliUsageError(`--forget-fraction must be a number in (0, 1), got "${opts.forgetFraction}"`);
  return { kind: 'random', fraction: p };
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

async function loadData(name: string, dataDir: string | undefined, limit: number | undefined, seed: number): Promise<{ train: Dataset; test: Dataset; description: string }> {
  if (name === 'synthetic') {
    const train = syntheticShapes({ n: limit ?? 6000, seed });
    const test = syntheticShapes({ n: Math.min(limit ?? 1000, 1000), seed: seed + 1, name: 'synthetic-shapes/test' });
    return { train, test, description: `synthetic shapes (seed ${seed})` };
  }
  if (name === 'fashion-mnist') {
    const train = await loadFashionMnist({ split: 'train', dataDir, limit });
    const test = await loadFashionMnist({ split: 'test', dataDir, limit: limit === undefined ? undefined : Math.max(1, Math.ceil(limit / 6)) });
    return { train, test, description: `${train.name} (${datasetSize(train)} train, ${datasetSize(test)} test)` };
  }
  throw new CliUsageError(`unknown dataset "${name}"; use fashion-mnist or synthetic`);
}

function asNet(dir: string): { net: TrainedNet; meta: Record<string, unknown> } {
  const loaded = loadNet(dir);
  return { net: { spec: loaded.spec, params: loaded.params, buffers: loaded.buffers }, meta: loaded.meta };
}

function disposeNet(n: TrainedNet): void {
  tf.dispose([...n.params, ...n.buffers]);
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

const gap = (m: ModelMetrics) => ({ UA: m.UA, RA: m.RA, TA: m.TA, MIA: 100 * m.svcMia });

/** `metanet unlearn`: one method on one request, scored with every metric beside the original (and gold). */
export function register(program: Command): void {
  program
    .command('unlearn')
    .description('run one unlearning method on one forget request and print every metric, with the original and gold rows beside it')
    .option('--method <name>', 'method name (see --list)')
    .option('--list', 'list the methods with their default hyperparameters')
    .option('--net <dir>', 'the original trained net (saved by `metanet train`)')
    .option('--forget-class <c>', 'forget these classes, e.g. 0 or 0,3')
    .option('--forget-fraction <p>', 'forget a random fraction of the training set, e.g. 0.1')
    .option('--dataset <name>', 'fashion-mnist or synthetic', 'fashion-mnist')
    .option('--data-dir <dir>', 'dataset directory (default: auto-detect or METANET_DATA_DIR)')
    .option('--limit <k>', 'use only the first K training examples (and K/6 test examples)')
    .option('--gold <dir>', 'a retrained (gold) net for the same request: adds the gold row, distances to gold, Avg Gap and RTE')
    .option('--out <dir>', 'write the unlearned net and results.json here (all or nothing)')
    .option('--seed <s>', 'seed of the request split and the method', '0')
    .option('--hp <json>', 'hyperparameter overrides as JSON, e.g. \'{"epochs":2}\'')
    .option('--json', 'machine-readable output')
    .action(async (opts: UnlearnCliOptions) => {
      if (opts.list) {
        listMethods(opts.json);
        return;
      }
      if (!opts.method) throw new CliUsageError('--method is required (see metanet unlearn --list)');
      if (!opts.net) throw new CliUsageError('--net <dir> is required: the trained original');
      const method = getMethod(opts.method);
      const request = parseRequestFlags(opts);
      const seed = int(opts.seed, '--seed', 0);
      const limit = opts.limit === undefined ? undefined : int(opts.limit, '--limit', 10);
      const hp = parseHyperparameters(opts.hp);
      if (opts.out) checkOut(opts.out);
      await initBackend();

      const { net: original } = asNet(opts.net);
      const goldNet = opts.gold ? asNet(opts.gold) : undefined;
      const data = await loadData(opts.dataset, opts.dataDir, limit, seed);
      const owned: TrainedNet[] = [original];
      if (goldNet) owned.push(goldNet.net);
      let sets: ReturnType<typeof buildRequest> | undefined;
      let hook: ReturnType<typeof createRelearnHook> | undefined;
      let tmp: string | undefined;
      try {
        const numClasses = data.train.classNames.length;
        checkNetFitsDataset(original, data.train, numClasses);
        if (goldNet) {
          checkNetFitsDataset(goldNet.net, data.train, numClasses);
          if (JSON.stringify(goldNet.net.spec.layers) !== JSON.stringify(original.spec.layers)) {
            throw new NetDatasetMismatchError(`--gold ${opts.gold} has another architecture than --net ${opts.net}; retrain the same spec`);
          }
        }
        sets = buildRequest(request, data, seed);
        const label = requestLabel(request);
        let progress: Progress | undefined;
        const onProgress = (done: number, total: number): void => {
          progress ??= createProgress({ label: `${method.name} (${label})`, total, quiet: opts.json });
          progress.update(done);
        };
        const result = await method.run({ model: original, forget: sets.train.forget, retain: sets.train.retain, forgetClasses: sets.forgetClasses, numClasses, seed, onProgress }, hp);
        progress?.stop();
        owned.push(result.model);

        const ev = evaluationSets(sets);
        hook = createRelearnHook(ev, { seed, maxSteps: 100, evalEvery: 5 });
        const evalOpts = { seed, gold: goldNet?.net, relearn: hook.relearn, maxRetain: 5000 };
        const rows: ComparisonRow[] = [];
        const scoring = createProgress({ label: 'scoring', total: goldNet ? 3 : 2, quiet: opts.json });
        const origMetrics = await evaluateModel(original, ev, evalOpts);
        scoring.update(1);
        const goldMetrics = goldNet ? await evaluateModel(goldNet.net, ev, evalOpts) : undefined;
        if (goldNet) scoring.update(2);
        const metrics = await evaluateModel(result.model, ev, evalOpts);
        scoring.update(goldNet ? 3 : 2);
        scoring.stop();
        const goldSeconds = goldNet && typeof goldNet.meta.seconds === 'number' && goldNet.meta.seconds > 0 ? goldNet.meta.seconds : undefined;
        rows.push({ method: 'original', metrics: origMetrics, avgGap: goldMetrics ? avgGap(gap(origMetrics), gap(goldMetrics)).avgGap : undefined });
        if (goldMetrics) rows.push({ method: 'retrain (gold)', metrics: goldMetrics, seconds: goldSeconds, rte: goldSeconds ? 1 : undefined, avgGap: 0 });
        rows.push({
          method: method.name,
          metrics,
          seconds: result.seconds,
          steps: result.steps,
          rte: goldSeconds ? runTimeEfficiency(result.seconds, goldSeconds).ratio : undefined,
          avgGap: goldMetrics ? avgGap(gap(metrics), gap(goldMetrics)).avgGap : undefined,
        });

        const payload = {
          method: method.name,
          hyperparameters: { ...method.defaults, ...hp },
          request,
          dataset: data.description,
          backend: backendInfo().name,
          seed,
          sizes: { forget: datasetSize(sets.train.forget), retain: datasetSize(sets.train.retain), test: datasetSize(data.test) },
          steps: result.steps,
          seconds: result.seconds,
          rows: comparisonTableRows(rows),
          out: opts.out ?? null,
        };
        if (opts.out) {
          // All or nothing: build everything in a sibling temp dir, then one rename.
          tmp = join(dirname(opts.out), `.${basename(opts.out)}.tmp-${process.pid}`);
          rmSync(tmp, { recursive: true, force: true });
          mkdirSync(tmp, { recursive: true });
          saveNet(join(tmp, 'net'), { spec: result.model.spec, params: result.model.params, buffers: result.model.buffers, meta: { method: method.name, hyperparameters: payload.hyperparameters, request, seed, seconds: result.seconds } });
          writeFileSync(join(tmp, 'results.json'), `${JSON.stringify(payload, null, 2)}\n`);
          if (existsSync(opts.out)) rmSync(opts.out, { recursive: true, force: true }); // empty, checked above
          renameSync(tmp, opts.out);
          tmp = undefined;
        }
        emit(opts, payload, () =>
          [
            `${method.name} on ${label} of ${data.description}; |D_f| = ${payload.sizes.forget}, |D_r| = ${payload.sizes.retain}; ${result.steps} steps in ${result.seconds.toFixed(1)} s (${payload.backend})`,
            comparisonTable(rows, 'plain'),
            'Accuracies in %, MIAs in [0, 1] (LR-MIA 0.5 = indistinguishable; SVC-MIA = fraction of D_f judged non-member), relearn in steps.',
            goldNet ? '' : 'Pass --gold DIR (a net retrained on the retain set) for the gold row, distances to gold, Avg Gap and RTE.',
            opts.out ? `saved the unlearned net and results.json to ${opts.out}` : '',
          ]
            .filter(Boolean)
            .join('\n'),
        );
      } finally {
        if (tmp) rmSync(tmp, { recursive: true, force: true });
        hook?.dispose();
        sets?.dispose();
        owned.forEach(disposeNet);
        disposeDataset(data.train);
        disposeDataset(data.test);
      }
    });
}
