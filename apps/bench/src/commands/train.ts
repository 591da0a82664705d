import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { datasetSize, disposeDataset, type Dataset } from '@metanet/data';
import {
  evaluate,
  initParams,
  LATEST_FILE,
  saveNet,
  sweepTempFiles,
  train,
  type EpochMetrics,
  type Evaluation,
} from '@metanet/nets';
import { architecture, countParams } from '@metanet/spec';
import { backendInfo, initBackend, tf } from '@metanet/tensor';
import { DATASET_CHOICES, disposeAll, holdOutValidation, loadTrainTest, type TrainTestData } from '../datasets';
import { CliUsageError } from '../errors';
import { datasetRecord } from '../net-checks';
import { int, positive } from '../flags';
import { emit, table } from '../output';
import { createProgress } from '../progress';
import { ALTERS_TRAINING, requestFromString } from '../request-flags';
import { buildRequest, type ForgetRequest } from '@metanet/unlearning';

interface TrainCliOptions {
  arch: string;
  dataset: string;
  epochs: string;
  limit?: string;
  seed: string;
  batchSize: string;
  lr: string;
  dataDir?: string;
  out: string;
  heads?: string;
  request?: string;
  resume?: boolean;
  json?: boolean;
}

interface Splits {
  name: TrainTestData['name'];
  train: Dataset;
  val: Dataset;
  test: Dataset;
  description: string;
  notice?: string;
}



async function loadSplits(name: string, limit: number | undefined, seed: number, dataDir: string | undefined, request?: ForgetRequest): Promise<Splits> {
  const data = await loadTrainTest(name, { seed, ...(limit !== undefined && { limit }), ...(dataDir !== undefined && { dataDir }) });
  // A trigger or feature request alters the training images; `metanet unlearn` builds the same
  // request on the same loaded set and seed, so its D_f is the stamped images trained on here.
  const sets = request ? buildRequest(request, data, seed) : undefined;
  // The validation set (best-on-val checkpointing) is 10 % of the training split, by seed.
  const { train: tr, val } = holdOutValidation(sets ? sets.train.full : data.train, seed);
  sets?.dispose();
  disposeAll(data.train);
  return { name: data.name, train: tr, val, test: data.test, description: data.description, ...(data.notice !== undefined && { notice: data.notice }) };
}

/** The run's history without wall times, so a resumed run writes the same bytes as an uninterrupted one. */
function stableHistory(history: readonly EpochMetrics[]): Omit<EpochMetrics, 'seconds'>[] {
  return history.map(({ seconds: _s, ...rest }) => rest);
}

/** `metanet train`: trains a classifier with per-epoch checkpoints and saves the best-on-validation net. */
export function register(program: Command): void {
  program
    .command('train')
    .description('train a classifier (checkpoints every epoch; --resume continues a killed run bit for bit)')
    .requiredOption('--arch <name>', 'architecture: homework-cnn, small-cnn, small-cnn-mt, resnet-mini or mlp:784-64-32-10')
    .option('--heads <list>', 'a multi-head net: named heads on the shared trunk, e.g. label,group (Fashion-MNIST garment groups)')
    .option('--dataset <name>', DATASET_CHOICES.join(', '), 'fashion-mnist')
    .option('--epochs <n>', 'epochs', '5')
    .option('--limit <k>', 'use only the first K training (and test) examples')
    .option('--seed <s>', 'seed for init, split, shuffling and dropout', '0')
    .option('--batch-size <b>', 'minibatch size', '64')
    .option('--lr <lr>', 'Adam learning rate', '0.001')
    .option('--data-dir <dir>', 'dataset directory (default: auto-detect or METANET_DATA_DIR)')
    .requiredOption('--out <dir>', 'output directory: the saved net plus checkpoints/')
    .option('--request <r>', `train on a trigger or feature request's altered set (the original to unlearn it from): trigger:P:T or feature:watermark:C:P`)
    .option('--resume', 'continue from the last checkpoint in --out')
    .option('--json', 'machine-readable output')
    .action(async (opts: TrainCliOptions) => {
      // Zero epochs would save the untrained initial net under a name that says "trained".
      if (opts.epochs.trim() === '0') throw new CliUsageError('--epochs 0 would save an untrained net; pass --epochs 1 or more');
      const epochs = int(opts.epochs, '--epochs', 1);
      const seed = int(opts.seed, '--seed', 0);
      const batchSize = int(opts.batchSize, '--batch-size', 1);
      const lr = positive(opts.lr, '--lr');
      const limit = opts.limit === undefined ? undefined : int(opts.limit, '--limit', 10);
      const checkpointDir = join(opts.out, 'checkpoints');
      if (!opts.resume && existsSync(join(checkpointDir, LATEST_FILE))) {
        throw new CliUsageError(`${opts.out} already holds a training checkpoint; pass --resume to continue it or choose another --out`);
      }
      sweepTempFiles(opts.out);
      await initBackend();

      const request = opts.request === undefined ? undefined : requestFromString(opts.request);
      if (request && !ALTERS_TRAINING.has(request.kind)) {
        throw new CliUsageError(`--request ${opts.request} does not alter the training set; train on the clean data (no --request) and unlearn it with metanet unlearn --request`);
      }
      const data = await loadSplits(opts.dataset, limit, seed, opts.dataDir, request);
      if (data.notice) process.stderr.write(`${data.notice}\n`);
      const [, h, w, c] = data.train.images.shape;
      if (h !== w) throw new CliUsageError(`images are ${h}×${w}; the named architectures need square inputs`);
      const heads = opts.heads?.split(',').map((x) => x.trim());
      const spec = architecture(opts.arch, { inChannels: c, inputSize: h, classes: data.train.classNames.length, ...(heads && { heads }) });
      const steps = Math.ceil(datasetSize(data.train) / batchSize);
      const progress = createProgress({ label: `train ${opts.arch}`, total: epochs * steps, quiet: opts.json });
      const init = initParams(spec, { seed });
      const result = await train(spec, init, data.train, {
        epochs,
        batchSize,
        lr,
        seed,
        valSet: data.val,
        checkpointDir,
        resume: opts.resume,
        onBatch: (p) => progress.update((p.epoch - 1) * steps + p.step, { epoch: p.epoch, loss: p.loss }),
      });
      progress.stop();
      tf.dispose(init);

      const score = (ds: Dataset): Evaluation => evaluate(spec, result.params, ds, { buffers: result.buffers });
      const metrics = { train: score(data.train), val: score(data.val), test: score(data.test) };
      const ran = result.history.slice(result.resumedEpochs);
      const secondsPerEpoch = ran.length ? ran.reduce((s, m) => s + m.seconds, 0) / ran.length : null;
      saveNet(opts.out, {
        spec,
        params: result.params,
        buffers: result.buffers,
        meta: {
          arch: opts.arch,
          dataset: data.description,
          // What `unlearn` checks the loaded dataset against; a net trained here forgot nothing (gold nets record a request).
          datasetInfo: datasetRecord(data),
          request: null,
          // The altered set this original learned from (trigger, feature), which `unlearn` checks.
          trainingRequest: request ?? null,
          seed,
          epochs,
          batchSize,
          lr,
          bestEpoch: result.epoch,
          history: stableHistory(result.history),
          accuracy: { train: metrics.train.accuracy, val: metrics.val.accuracy, test: metrics.test.accuracy },
        },
      });
      const payload = {
        arch: opts.arch,
        params: countParams(spec),
        dataset: data.description,
        backend: backendInfo().name,
        epochs,
        bestEpoch: result.epoch,
        resumedEpochs: result.resumedEpochs,
        stoppedEarly: result.stoppedEarly,
        secondsPerEpoch,
        accuracy: { train: metrics.train.accuracy, val: metrics.val.accuracy, test: metrics.test.accuracy },
        // A multi-head net's test accuracy per head (`accuracy` is its first head's).
        ...(metrics.test.headAccuracy && { headAccuracy: metrics.test.headAccuracy }),
        loss: { train: metrics.train.loss, val: metrics.val.loss, test: metrics.test.loss },
        history: result.history,
        out: opts.out,
      };
      tf.dispose([...result.params, ...result.buffers]);
      for (const ds of [data.train, data.val, data.test]) disposeDataset(ds);
      emit(opts, payload, () => {
        const pct = (v: number): string => `${(100 * v).toFixed(2)}%`;
        return [
          `${opts.arch} (${payload.params.toLocaleString('en-US')} params) on ${data.description}, backend ${payload.backend}`,
          table([
            ['', 'accuracy', 'loss'],
            ['train', pct(metrics.train.accuracy), metrics.train.loss.toFixed(4)],
            ['val', pct(metrics.val.accuracy), metrics.val.loss.toFixed(4)],
            ['test', pct(metrics.test.accuracy), metrics.test.loss.toFixed(4)],
          ]),
          ...(payload.headAccuracy ? [`test accuracy per head: ${Object.entries(payload.headAccuracy).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}`] : []),
          `best epoch ${result.epoch}/${epochs}${result.resumedEpochs ? ` (resumed after ${result.resumedEpochs})` : ''}${secondsPerEpoch !== null ? `, ${secondsPerEpoch.toFixed(1)} s/epoch` : ''}`,
          `saved to ${opts.out}`,
        ].join('\n');
      });
    });
}
