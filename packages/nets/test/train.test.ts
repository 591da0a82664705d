import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataset, syntheticShapes, type Dataset } from '@metanet/data';
import { tf } from '@metanet/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { architecture, validateSpec } from '@metanet/spec';
import {
  CheckpointError,
  epochOrder,
  evaluate,
  initParams,
  InvalidTrainingOptionsError,
  NonFiniteLossError,
  readLatestCheckpoint,
  train,
  type EpochMetrics,
} from '../src/index';
import { setupBackend } from './support/backend';

beforeAll(async () => {
  await setupBackend();
});

const root = mkdtempSync(join(tmpdir(), 'nets-train-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const tmp = (): string => mkdtempSync(join(root, 'run-'));
const bytesOf = (ts: tf.Tensor[]): number[][] => ts.map((t) => Array.from(new Uint8Array(t.dataSync().buffer)));

describe('train', () => {
  const spec = architecture('homework-cnn', { inputSize: 12, classes: 4 });
  let trainSet: Dataset;
  let valSet: Dataset;
  beforeAll(() => {
    trainSet = syntheticShapes({ n: 96, seed: 1, size: 12, classes: 4 });
    valSet = syntheticShapes({ n: 32, seed: 2, size: 12, classes: 4 });
  });

  it('learns a small MLP problem and reports per-epoch metrics', async () => {
    const mlp = architecture('mlp:144-32-4');
    const big = syntheticShapes({ n: 400, seed: 3, size: 12, classes: 4 });
    const epochs: EpochMetrics[] = [];
    let batches = 0;
    const r = await train(mlp, initParams(mlp, { seed: 1 }), big, {
      epochs: 8,
      batchSize: 32,
      lr: 3e-3,
      valSet,
      onEpoch: (m) => void epochs.push(m),
      onBatch: () => void batches++,
    });
    expect(epochs.map((m) => m.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(batches).toBe(8 * 13);
    expect((epochs[7] as EpochMetrics).trainLoss).toBeLessThan((epochs[0] as EpochMetrics).trainLoss);
    expect(evaluate(mlp, r.params, big).accuracy).toBeGreaterThan(0.7);
    expect(r.epoch).toBe(1 + epochs.reduce((b, m, k) => ((m.valAccuracy ?? 0) > ((epochs[b] as EpochMetrics).valAccuracy ?? 0) ? k : b), 0));
  });

  it('shuffles deterministically per (seed, epoch)', () => {
    expect(epochOrder(10, 1, 0)).toEqual(epochOrder(10, 1, 0));
    expect(epochOrder(10, 1, 0)).not.toEqual(epochOrder(10, 1, 1));
    expect(Array.from(epochOrder(50, 3, 2)).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('same seed → bit-identical weights; resumed from a checkpoint → byte-identical to uninterrupted', async () => {
    const opts = { batchSize: 32, lr: 2e-3, seed: 5, valSet, optimizer: 'adam' as const, weightDecay: 1e-4, reduceLROnPlateau: { patience: 0, factor: 0.5 } };
    const init = initParams(spec, { seed: 3 });
    const full = await train(spec, init, trainSet, { ...opts, epochs: 3, checkpointDir: tmp() });
    const again = await train(spec, init, trainSet, { ...opts, epochs: 3 });
    expect(bytesOf(again.params)).toEqual(bytesOf(full.params));
    const dir = tmp();
    await train(spec, init, trainSet, { ...opts, epochs: 1, checkpointDir: dir });
    expect(readdirSync(dir).sort()).toEqual(['epoch-0001', 'latest.json']);
    const resumed = await train(spec, init, trainSet, { ...opts, epochs: 3, checkpointDir: dir, resume: true });
    expect(resumed.resumedEpochs).toBe(1);
    expect(bytesOf(resumed.params)).toEqual(bytesOf(full.params));
    expect(bytesOf(resumed.buffers)).toEqual(bytesOf(full.buffers));
    expect(resumed.history.map((m) => m.valLoss)).toEqual(full.history.map((m) => m.valLoss));
    expect(readLatestCheckpoint(dir)?.epoch).toBe(3);
    await expect(train(spec, init, trainSet, { ...opts, seed: 6, epochs: 4, checkpointDir: dir, resume: true })).rejects.toThrow(CheckpointError);
  });

  it('SGD with momentum resumes byte-identically too', async () => {
    const mlp = architecture('mlp:144-16-4');
    const opts = { batchSize: 16, lr: 0.05, seed: 2, optimizer: 'sgd' as const, momentum: 0.9 };
    const init = initParams(mlp, { seed: 1 });
    const full = await train(mlp, init, trainSet, { ...opts, epochs: 2 });
    const dir = tmp();
    await train(mlp, init, trainSet, { ...opts, epochs: 1, checkpointDir: dir });
    const resumed = await train(mlp, init, trainSet, { ...opts, epochs: 2, checkpointDir: dir, resume: true });
    expect(bytesOf(resumed.params)).toEqual(bytesOf(full.params));
  });

  it('RMSprop resumes byte-identically, and onEpoch sees each epoch\'s weights', async () => {
    const mlp = architecture('mlp:144-16-4');
    const opts = { batchSize: 16, lr: 0.01, seed: 2, optimizer: 'rmsprop' as const };
    const init = initParams(mlp, { seed: 1 });
    const seen: number[][][] = [];
    const full = await train(mlp, init, trainSet, { ...opts, epochs: 2, onEpoch: (_m, w) => void seen.push(bytesOf([...w.params])) });
    expect(seen).toHaveLength(2);
    expect(seen[1]).toEqual(bytesOf(full.params));
    expect(seen[0]).not.toEqual(seen[1]);
    const dir = tmp();
    await train(mlp, init, trainSet, { ...opts, epochs: 1, checkpointDir: dir });
    const resumed = await train(mlp, init, trainSet, { ...opts, epochs: 2, checkpointDir: dir, resume: true });
    expect(bytesOf(resumed.params)).toEqual(bytesOf(full.params));
  });

  it('early stopping stops and is remembered by a resume', async () => {
    const mlp = architecture('mlp:144-8-4');
    const dir = tmp();
    // lr so small the loss cannot improve by minDelta: stops after `patience` epochs.
    const opts = { batchSize: 32, lr: 1e-9, earlyStopping: { patience: 2, minDelta: 1 }, checkpointDir: dir };
    const r = await train(mlp, initParams(mlp), trainSet, { ...opts, epochs: 10 });
    expect(r.stoppedEarly).toBe(true);
    expect(r.history).toHaveLength(3);
    const again = await train(mlp, initParams(mlp), trainSet, { ...opts, epochs: 10, resume: true });
    expect(again.history).toHaveLength(3);
    expect(again.resumedEpochs).toBe(3);
  });

  it('a NaN loss throws NonFiniteLossError naming epoch and step, keeping the last good checkpoint', async () => {
    const mlp = validateSpec({ input: [2], layers: [{ type: 'dense', units: 2 }] });
    const x = new Float32Array(8 * 2).fill(1);
    x[2 * 5] = NaN; // sample 5 is poisoned
    const ds = createDataset({ name: 'poison', images: x, shape: [8, 1, 2, 1], labels: new Int32Array(8), classNames: ['a', 'b'], source: 'test' });
    const clean = createDataset({ name: 'clean', images: new Float32Array(16).fill(1), shape: [8, 1, 2, 1], labels: new Int32Array(8), classNames: ['a', 'b'], source: 'test' });
    const dir = tmp();
    await train(mlp, initParams(mlp), clean, { epochs: 1, batchSize: 4, checkpointDir: dir });
    const order = epochOrder(8, 0, 0);
    const step = Math.floor(order.indexOf(5) / 4) + 1;
    let err: unknown;
    try {
      await train(mlp, initParams(mlp), ds, { epochs: 2, batchSize: 4, checkpointDir: dir });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect((err as NonFiniteLossError).epoch).toBe(1);
    expect((err as NonFiniteLossError).step).toBe(step);
    expect((err as Error).message).toMatch(new RegExp(`epoch 1, step ${step}`));
    expect(readLatestCheckpoint(dir)?.epoch).toBe(1);
  });

  it('rejects bad options', async () => {
    await expect(train(spec, initParams(spec), trainSet, { epochs: 1, lr: -1 })).rejects.toThrow(InvalidTrainingOptionsError);
    await expect(train(spec, initParams(spec), trainSet, { epochs: 1.5 })).rejects.toThrow(/epochs/);
  });

  it('does not leak tensors across an epoch', async () => {
    const mlp = architecture('mlp:144-8-4');
    const init = initParams(mlp);
    const counts: number[] = [];
    const r = await train(mlp, init, trainSet, { epochs: 3, batchSize: 32, valSet, onEpoch: () => void counts.push(tf.memory().numTensors) });
    expect(counts[2]).toBe(counts[1]);
    tf.dispose([...r.params, ...r.buffers]);
  });
});
