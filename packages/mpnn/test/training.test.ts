import { batchGraphs } from '@metanet/graph';
import { initBackend, tf } from '@metanet/tensor';
import { beforeAll, describe, expect, test } from 'vitest';
import { GMN, NonFiniteLossError, trainStep, type ChunkLoss, type GMNConfig } from '../src/index';
import { mlpGraph, randomMlp, weightsOf } from './helpers';

const CONFIG: Partial<GMNConfig> = { hidden: 8, globalHidden: 4, layers: 2, graphOutputs: 2, edgeOutputs: 1, edgeHeadZeroInit: false, seed: 5 };
const graphs = [mlpGraph(randomMlp([3, 4, 2], 1)), mlpGraph(randomMlp([2, 5, 3], 2)), mlpGraph(randomMlp([4, 3, 3, 2], 3))];
const totalEdges = graphs.reduce((a, g) => a + g.numEdges, 0);

/** Mean square of the edge output over all edges of the batch + mean square of the graph output. */
const w2Loss: ChunkLoss = (out, g) =>
  tf.add(tf.div(tf.sum(tf.square(out.edge!)), totalEdges), tf.div(tf.sum(tf.square(out.graph!)), graphs.length * 2));

describe('training', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  test.each([
    ['forward messages', {}],
    ['messages in both directions', { direction: 'both' }],
  ] as const)('gradients match finite differences (%s)', async (_name, config) => {
    await initBackend({ backend: 'cpu' });
    // A smooth model (identity activation, no max), so central differences are meaningful in float32.
    const model = new GMN({ ...CONFIG, ...config, activation: 'linear', layerNorm: 'all', hidden: 4 });
    const gt = model.graphTensors(graphs.slice(0, 2));
    const lossOf = () => tf.tidy(() => {
      const o = model.apply(gt);
      return tf.add(tf.mean(tf.square(o.edge!)), tf.mean(tf.square(o.graph!))) as tf.Scalar;
    });
    const { grads } = tf.variableGrads(lossOf);
    let checked = 0;
    // Every 5th weight, and every weight of the backward message MLPs.
    for (const v of model.trainableVariables.filter((w, i) => i % 5 === 0 || w.name.includes('messageOut'))) {
      const g = grads[v.name]!.dataSync();
      const values = v.dataSync().slice() as Float32Array;
      const i = Math.floor(values.length / 2);
      const at = (delta: number) => {
        const p = values.slice();
        p[i] = values[i]! + delta;
        v.assign(tf.tensor(p, v.shape));
        const l = lossOf();
        const x = l.dataSync()[0]!;
        l.dispose();
        return x;
      };
      const eps = 1e-2;
      const fd = (at(eps) - at(-eps)) / (2 * eps);
      v.assign(tf.tensor(values, v.shape));
      expect(Math.abs(fd - g[i]!)).toBeLessThanOrEqual(2e-2 * Math.max(1, Math.abs(fd)));
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
    tf.dispose(Object.values(grads));
    gt.dispose();
    model.dispose();
    await initBackend({ backend: 'wasm' });
  });

  test('fused and naive paths give the same gradients', () => {
    const fast = new GMN({ ...CONFIG, aggregation: 'mean' });
    const slow = new GMN({ ...CONFIG, aggregation: 'mean', naive: true });
    const gt = fast.graphTensors(graphs);
    const g1 = tf.variableGrads(() => w2Loss(fast.apply(gt), gt, 0), fast.trainableVariables).grads;
    const g2 = tf.variableGrads(() => w2Loss(slow.apply(gt), gt, 0), slow.trainableVariables).grads;
    fast.trainableVariables.forEach((v, k) => {
      const a = g1[v.name]!.dataSync();
      const b = g2[slow.trainableVariables[k]!.name]!.dataSync();
      a.forEach((x, i) => expect(Math.abs(x - b[i]!)).toBeLessThanOrEqual(1e-3 * (1 + Math.abs(b[i]!))));
    });
    tf.dispose([...Object.values(g1), ...Object.values(g2)]);
    gt.dispose();
    fast.dispose();
    slow.dispose();
  });

  test('batching two graphs gives the same per-graph outputs as running them separately', () => {
    const model = new GMN(CONFIG);
    const both = model.graphTensors(batchGraphs(graphs.slice(0, 2)));
    const a = model.graphTensors(graphs[0]!);
    const b = model.graphTensors(graphs[1]!);
    tf.tidy(() => {
      const ob = model.apply(both);
      const oa = model.apply(a);
      const o2 = model.apply(b);
      const close = (x: tf.Tensor, y: tf.Tensor) => expect(tf.max(tf.abs(tf.sub(x, y))).dataSync()[0]).toBeLessThan(1e-4);
      close(tf.slice(ob.graph!, [0, 0], [1, 2]), oa.graph!);
      close(tf.slice(ob.graph!, [1, 0], [1, 2]), o2.graph!);
      close(tf.slice(ob.edge!, [0, 0], [a.numEdges, 1]), oa.edge!);
      close(tf.slice(ob.edge!, [a.numEdges, 0], [b.numEdges, 1]), o2.edge!);
    });
    [both, a, b].forEach((g) => g.dispose());
    model.dispose();
  });

  test('no tensor leaks across 10 training steps (Adam, dropout on)', () => {
    const model = new GMN({ ...CONFIG, dropout: 0.1 });
    const chunks = [model.graphTensors(graphs.slice(0, 2)), model.graphTensors(graphs[2]!)];
    const opt = tf.train.adam(1e-3);
    trainStep(model, opt, chunks, w2Loss); // creates the optimiser's slots
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    for (let s = 0; s < 10; s++) losses.push(trainStep(model, opt, chunks, w2Loss, { step: s }));
    expect(tf.memory().numTensors).toBe(before);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[9]!).toBeLessThan(losses[0]!);
    chunks.forEach((c) => c.dispose());
    opt.dispose();
    model.dispose();
  });

  test.each([
    ['forward messages', {}],
    ['messages in both directions', { direction: 'both' }],
  ] as const)('accumulating over chunks equals one step on the whole batch (%s)', (_name, config) => {
    const one = new GMN({ ...CONFIG, ...config });
    const two = new GMN({ ...CONFIG, ...config });
    const whole = one.graphTensors(graphs);
    const parts = [two.graphTensors(graphs.slice(0, 1)), two.graphTensors(graphs.slice(1))];
    const l1 = trainStep(one, tf.train.sgd(0.1), [whole], w2Loss);
    const l2 = trainStep(two, tf.train.sgd(0.1), parts, w2Loss);
    expect(Math.abs(l1 - l2)).toBeLessThan(1e-4 * Math.abs(l1));
    const w1 = weightsOf(one);
    const w2 = weightsOf(two);
    w1.forEach((w, k) => w.forEach((x, i) => expect(Math.abs(x - w2[k]![i]!)).toBeLessThan(1e-4 * (1 + Math.abs(x)))));
    [whole, ...parts].forEach((g) => g.dispose());
    one.dispose();
    two.dispose();
  });

  test('graphChunks groups graphs in order within an edge budget', () => {
    const model = new GMN(CONFIG);
    const sizes = graphs.map((g) => g.numEdges);
    const chunks = model.graphChunks(graphs, sizes[0]! + sizes[1]!);
    expect(chunks.map((c) => c.numGraphs)).toEqual([2, 1]);
    expect(chunks.map((c) => c.numEdges)).toEqual([sizes[0]! + sizes[1]!, sizes[2]!]);
    const tiny = model.graphChunks(graphs, 1);
    expect(tiny.map((c) => c.numGraphs)).toEqual([1, 1, 1]);
    expect(() => model.graphChunks(graphs, 0)).toThrow(/edge budget/);
    const l = trainStep(model, tf.train.sgd(0.01), chunks, w2Loss);
    expect(Number.isFinite(l)).toBe(true);
    [...chunks, ...tiny].forEach((c) => c.dispose());
    model.dispose();
  });

  test('determinism: same seed gives bit-identical forward output and weights after a step', () => {
    const run = () => {
      const m = new GMN({ ...CONFIG, dropout: 0.2 });
      const gt = m.graphTensors(graphs);
      const out = tf.tidy(() => m.apply(gt, { training: true, seed: 9 }).edge!.dataSync().slice());
      trainStep(m, tf.train.adam(1e-2), [gt], w2Loss, { seed: 4 });
      const w = weightsOf(m).map((x) => x.slice());
      gt.dispose();
      m.dispose();
      return { out, w };
    };
    const a = run();
    const b = run();
    expect(Buffer.from(a.out.buffer).equals(Buffer.from(b.out.buffer))).toBe(true);
    a.w.forEach((w, k) => expect(Buffer.from(w.buffer).equals(Buffer.from(b.w[k]!.buffer))).toBe(true));
  });

  test('a non-finite loss throws NonFiniteLossError naming the step and leaves the weights alone', () => {
    const model = new GMN(CONFIG);
    const gt = model.graphTensors(graphs[0]!);
    const before = weightsOf(model).map((w) => w.slice());
    const nanLoss: ChunkLoss = (out) => tf.mul(tf.sum(out.graph!), NaN) as tf.Scalar;
    expect(() => trainStep(model, tf.train.adam(1e-2), [gt], nanLoss, { step: 7 })).toThrow(NonFiniteLossError);
    expect(() => trainStep(model, tf.train.adam(1e-2), [gt], nanLoss, { step: 7 })).toThrow(/step 7/);
    weightsOf(model).forEach((w, k) => expect(Array.from(w)).toEqual(Array.from(before[k]!)));
    gt.dispose();
    model.dispose();
  });

  test('a zero-initialised edge head starts as the identity editor (Δw = 0)', () => {
    const model = new GMN({ ...CONFIG, edgeHeadZeroInit: true });
    const gt = model.graphTensors(graphs[1]!);
    const d = tf.tidy(() => model.apply(gt).edge!.dataSync().slice());
    expect(d.length).toBe(gt.numEdges);
    expect(d.every((x) => x === 0)).toBe(true);
    gt.dispose();
    model.dispose();
  });
});
