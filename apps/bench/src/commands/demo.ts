import type { Command } from 'commander';
import { initParams, train } from '@metanet/nets';
import { architecture, countParams } from '@metanet/spec';
import { labelsOf } from '@metanet/data';
import { backendInfo, initBackend, tf } from '@metanet/tensor';
import {
  buildRequest,
  compareMethods,
  evaluationSets,
  getMethod,
  type ComparisonRow,
  type TrainedNet,
} from '@metanet/unlearning';
import { CliUsageError } from '../errors';
import { int } from '../flags';
import { disposeAll, loadTrainTest } from '../datasets';
import { parseColumns, printedTable, tableLines, terminalWidth } from '../metrics-table';
import { emit } from '../output';
import { createPhases, createProgress } from '../progress';

interface DemoOptions {
  dataset: string;
  dataDir?: string;
  arch: string;
  limit: string;
  epochs: string;
  forgetClass: string;
  methods: string;
  seed: string;
  columns?: string;
  json?: boolean;
}

const DEFAULT_METHODS = 'ft,neggrad-plus,fisher,salun,scrub,logit-mask';


function stepLog(json: boolean | undefined, line: string): void {
  if (!json) process.stderr.write(`${line}\n`);
}

/**
 * `metanet demo`: the main job end to end on the default dataset: train a
 * classifier, produce the gold (retrained) model, unlearn one class with several
 * methods, and print every metric side by side.
 */
export function register(program: Command): void {
  program
    .command('demo')
    .description('train a classifier, unlearn one class with several methods, and print the metrics beside the retrained gold model')
    .option('--dataset <name>', 'auto (Fashion-MNIST if installed, else synthetic), fashion-mnist, synthetic, mnist, cifar-10', 'auto')
    .option('--data-dir <dir>', 'dataset directory (default: auto-detect or METANET_DATA_DIR)')
    .option('--arch <name>', 'classifier architecture', 'small-cnn')
    .option('--limit <k>', 'training examples used', '20000')
    .option('--epochs <n>', 'epochs for the original and the gold model', '6')
    .option('--forget-class <c>', 'class to forget', '0')
    .option('--methods <list>', 'comma-separated unlearning methods (see `metanet unlearn --list`)', DEFAULT_METHODS)
    .option('--seed <s>', 'seed for data, init, training and every method', '0')
    .option('--columns <list>', 'table columns: all, or a comma list (see metanet unlearn --help)')
    .option('--json', 'machine-readable output')
    .action(async (opts: DemoOptions) => {
      const seed = int(opts.seed, '--seed', 0);
      const epochs = int(opts.epochs, '--epochs', 1);
      const limit = int(opts.limit, '--limit', 100);
      const forgetClass = int(opts.forgetClass, '--forget-class', 0);
      const columns = parseColumns(opts.columns);
      const methods = opts.methods.split(',').map((m) => m.trim()).filter((m) => m && m !== 'retrain').map(getMethod);
      await initBackend();

      const data = await loadTrainTest(opts.dataset, { ...(opts.dataDir !== undefined && { dataDir: opts.dataDir }), limit, seed });
      if (data.notice) process.stderr.write(`${data.notice}\n`);
      const numClasses = data.train.classNames.length;
      if (forgetClass >= numClasses) {
        throw new CliUsageError(`--forget-class ${forgetClass} is outside the ${numClasses} classes of ${data.description} (0..${numClasses - 1})`);
      }
      const [, h, , c] = data.train.images.shape;
      const spec = architecture(opts.arch, { inChannels: c, inputSize: h, classes: numClasses });
      const request = buildRequest({ kind: 'class', classes: [forgetClass] }, { train: data.train, test: data.test }, seed);
      const sets = evaluationSets(request);
      const className = data.train.classNames[forgetClass] ?? String(forgetClass);
      stepLog(opts.json, `metanet demo: ${opts.arch} (${countParams(spec).toLocaleString('en-US')} params) on ${data.description}, ${labelsOf(data.train).length} training images, backend ${backendInfo().name}`);

      // 1. The original model, trained on everything.
      stepLog(opts.json, `[1/3] training the original model (${epochs} ${epochs === 1 ? 'epoch' : 'epochs'})`);
      const trainBar = createProgress({ label: 'original', total: epochs * Math.ceil(labelsOf(data.train).length / 64), quiet: opts.json });
      const init = initParams(spec, { seed });
      let done = 0;
      const trained = await train(spec, init, data.train, { epochs, batchSize: 64, lr: 1e-3, seed, onBatch: () => trainBar.update(++done) });
      trainBar.stop();
      tf.dispose(init);
      const original: TrainedNet = { spec, params: trained.params, buffers: trained.buffers };

      // 2. Gold: retrained from scratch on the retain set with the same recipe.
      stepLog(opts.json, `[2/3] retraining the gold model without class ${forgetClass} (${className})`);
      // Methods report (done, total) with a total known only once they start: one phase per method.
      const phases = createPhases(opts.json);
      const gold = await getMethod('retrain').run(
        { model: original, forget: sets.forget, retain: sets.retain, forgetClasses: [forgetClass], numClasses, seed, onProgress: (d, t) => phases.phase('retrain', t).update(d) },
        { epochs },
      );
      phases.stop();

      // 3. Every method on the same request, scored beside the original and gold.
      stepLog(opts.json, `[3/3] unlearning with ${methods.map((m) => m.name).join(', ')}`);
      let method = '';
      const rows: ComparisonRow[] = await compareMethods({
        original,
        gold: { model: gold.model, seconds: gold.seconds },
        methods,
        sets,
        seed,
        onMethod: (name) => {
          method = name;
        },
        onProgress: (d, t) => phases.phase(method, t).update(d),
      });
      phases.stop();
      tf.dispose([...original.params, ...original.buffers, ...gold.model.params, ...gold.model.buffers]);
      disposeAll(data.train, data.test, ...Object.values(request.train), ...Object.values(request.test));

      const payload = { dataset: data.description, arch: opts.arch, forgetClass, className, epochs, seed, backend: backendInfo().name, rows };
      emit(opts, payload, () =>
        [
          '',
          `Forgetting class ${forgetClass} (${className}). Gold (retrain) sets the target:`,
          'an unlearned model should match its row, not just drive forget accuracy to 0.',
          '',
          ...tableLines(printedTable(rows, { kind: 'class', classes: [forgetClass] }, columns, terminalWidth(), 'retrain')),
        ].join('\n'),
      );
    });
}
