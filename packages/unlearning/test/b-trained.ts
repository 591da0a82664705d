/**
 * A trained tiny CNN and a class-wise request on synthetic shapes, shared by
 * the tests of SalUn, SCRUB, Boundary Shrink, SSD, Fisher and relearn time
 * (not a test file itself). Training is deterministic, so the trained net is
 * cached on disk (keyed by the fixture's recipe) and shared across test files;
 * the cache only saves time, a fresh training gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNet, saveNet } from '@metanet/nets';
import { tf } from '@metanet/tensor';
import { datasetSize, disposeDataset, labelsOf, subsetDataset, type Dataset } from '@metanet/data';
import { accuracy } from '@metanet/metrics';
import { optimize } from '../src/loop';
import { crossEntropyLoss } from '../src/losses';
import { predictOutputs } from '../src/predict';
import type { TrainedNet, UnlearnInput } from '../src/types';
import { freshNet, shapes, tinyCnnSpec } from './fixtures';

export const CLASSES = 4;
export const FORGET_CLASS = 2;

export interface ClassRequest {
  model: TrainedNet;
  /** Trained like `model` on D_r only (the gold standard); built on first use. */
  gold(): TrainedNet;
  forget: Dataset;
  retain: Dataset;
  testForget: Dataset;
  testRetain: Dataset;
  input(seed?: number): UnlearnInput;
}

function byClass(ds: Dataset, keep: (y: number) => boolean): Dataset {
  const y = labelsOf(ds);
  const idx: number[] = [];
  y.forEach((c, i) => {
    if (keep(c)) idx.push(i);
  });
  return subsetDataset(ds, Int32Array.from(idx));
}

const RECIPE = { spec: tinyCnnSpec(CLASSES), data: [480, 11], init: 3, epochs: 20, batchSize: 32, lr: 0.01, optimizer: 'adam', seed: 5 } as const;

function trainedModel(train: Dataset, tag = 'original'): TrainedNet {
  // The key covers the recipe and the exact training bytes, so a change in the
  // data generator never serves a model trained on other data.
  // The directory is kept in /tmp on purpose (about 30 KB per key, one original
  // and one gold): later runs load it instead of training 20 epochs again.
  const key = createHash('sha256')
    .update(JSON.stringify({ ...RECIPE, tag }))
    .update(new Uint8Array(train.images.dataSync().buffer.slice(0)))
    .update(new Uint8Array(train.labels.dataSync().buffer.slice(0)))
    .digest('hex')
    .slice(0, 16);
  const dir = join(tmpdir(), `metanet-unlearning-fixture-${key}`);
  if (existsSync(join(dir, 'manifest.json'))) {
    const net = loadNet(dir);
    return { spec: net.spec, params: net.params, buffers: net.buffers };
  }
  const init = freshNet(RECIPE.spec, RECIPE.init);
  const r = optimize({
    model: init,
    sources: { train: { data: train, batchSize: RECIPE.batchSize } },
    epochs: RECIPE.epochs,
    loss: (out, batch) => crossEntropyLoss(out.output, batch.y),
    lr: RECIPE.lr,
    optimizer: RECIPE.optimizer,
    seed: RECIPE.seed,
  });
  tf.dispose([...init.params, ...init.buffers]);
  saveNet(dir, { spec: r.model.spec, params: r.model.params, buffers: r.model.buffers });
  return r.model;
}

let cached: ClassRequest | null = null;

/** The trained model and its class-0 request (cached; never dispose it in a test). */
export function classRequest(): ClassRequest {
  if (cached) return cached;
  const train = shapes(RECIPE.data[0], RECIPE.data[1], CLASSES);
  const test = shapes(240, 12, CLASSES);
  const req = {
    model: trainedModel(train),
    forget: byClass(train, (c) => c === FORGET_CLASS),
    retain: byClass(train, (c) => c !== FORGET_CLASS),
    testForget: byClass(test, (c) => c === FORGET_CLASS),
    testRetain: byClass(test, (c) => c !== FORGET_CLASS),
  };
  disposeDataset(train);
  disposeDataset(test);
  let gold: TrainedNet | null = null;
  cached = {
    ...req,
    gold: () => (gold ??= trainedModel(req.retain, 'gold')),
    input: (seed = 1) => ({ model: req.model, forget: req.forget, retain: req.retain, forgetClasses: [FORGET_CLASS], numClasses: CLASSES, seed }),
  };
  return cached;
}

/** Eval-mode accuracy (0–1) of `model` on `ds`, scored by @metanet/metrics. */
export function accuracyOn(model: TrainedNet, ds: Dataset): number {
  if (datasetSize(ds) === 0) return Number.NaN;
  return accuracy(predictOutputs(model, ds), labelsOf(ds));
}
