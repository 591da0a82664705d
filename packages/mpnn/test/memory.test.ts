import { initBackend, tf } from '@metanet/tensor';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  GMN,
  HeapBudgetError,
  HeapExhaustedError,
  checkChunksFit,
  maxTrainableEdges,
  peakBytesDuring,
  trainStep,
  trainingBytes,
  trainingMemory,
  type ChunkLoss,
  type GMNConfig,
  type GraphTensors,
} from '../src/index';
import { mlpGraph, randomMlp, weightsOf } from './helpers';

const CONFIG: Partial<GMNConfig> = { hidden: 16, globalHidden: 8, layers: 2, graphOutputs: 1, edgeOutputs: 1, edgeHeadZeroInit: false, seed: 3 };
// Synthetic nets of a few thousand edges: big enough that per-edge memory dominates.
const graphs = [mlpGraph(randomMlp([24, 40, 32, 6], 1)), mlpGraph(randomMlp([30, 36, 20, 8], 2))];

const loss: ChunkLoss = (out) => tf.add(tf.mean(tf.square(out.edge!)), tf.mean(tf.square(out.graph!))) as tf.Scalar;

/** Peak live bytes of one forward+backward on `g`, measured by tf.profile (asynchronous, public API). */
async function profiledPeak(model: GMN, g: GraphTensors): Promise<number> {
  const before = tf.memory().numBytes;
  const info = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(() => loss(model.apply(g, { training: true, seed: 0 }), g, 0), model.trainableVariables);
    value.dispose();
    tf.dispose(Object.values(grads));
  });
  return info.peakBytes - before;
}

/** The smallest heap limit (to 1 KiB) at which maxTrainableEdges admits the chunk. */
function thresholdLimit(model: GMN, chunk: GraphTensors): number {
  const edges = chunk.numEdges;
  const nodesPerEdge = chunk.numNodes / chunk.numEdges;
  let lo = tf.memory().numBytes;
  let hi = lo + 2 ** 34;
  while (hi - lo > 1024) {
    const mid = Math.floor((lo + hi) / 2);
    if ((maxTrainableEdges(model, { heapLimitBytes: mid, nodesPerEdge }) ?? 0) >= edges) hi = mid;
    else lo = mid;
  }
  return hi;
}

describe('memory budget', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  test('peakBytesDuring reports the same peak as tf.profile', async () => {
    const model = new GMN(CONFIG);
    const g = model.graphTensors(graphs[0]!);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => loss(model.apply(g, { training: true, seed: 0 }), g, 0), model.trainableVariables);
      value.dispose();
      tf.dispose(Object.values(grads));
    };
    step(); // warm-up, so both runs below allocate alike
    const ours = peakBytesDuring(step);
    const theirs = await tf.profile(step);
    expect(ours).not.toBeNull();
    expect(ours).toBe(theirs.peakBytes);
    expect(ours!).toBeGreaterThan(tf.memory().numBytes);
    // Inside another profile it cannot observe, says so, and still runs the function.
    let ran = false;
    let nested: number | null = 0;
    await tf.profile(() => {
      nested = peakBytesDuring(() => {
        ran = true;
      });
    });
    expect(ran).toBe(true);
    expect(nested).toBeNull();
    g.dispose();
    model.dispose();
  });

  test.each([
    ['defaults', {}],
    ['edge LayerNorm and dropout', { layerNorm: 'all', dropout: 0.2 }],
    ['max aggregation, 3-layer MLPs', { aggregation: 'max', mlpLayers: 3 }],
    ['messages in both directions', { direction: 'both' }],
  ] as const)('the calibrated memory model predicts a real step (%s)', async (_name, extra) => {
    const model = new GMN({ ...CONFIG, ...extra });
    const m = trainingMemory(model);
    expect(m).not.toBeNull();
    expect(m!.bytesPerEdge).toBeGreaterThan(0);
    expect(m!.bytesPerNode).toBeGreaterThanOrEqual(0);
    // Two graphs the calibration never saw, alone and batched.
    for (const gs of [[graphs[0]!], graphs]) {
      const g = model.graphTensors(gs);
      const measured = await profiledPeak(model, g);
      const predicted = trainingBytes(model, g.numEdges, g.numNodes)!;
      expect(predicted / measured).toBeGreaterThan(0.9);
      expect(predicted / measured).toBeLessThan(1.15);
      g.dispose();
    }
    // Wider models need proportionally more per edge.
    const wide = new GMN({ ...CONFIG, ...extra, hidden: 32 });
    expect(trainingMemory(wide)!.bytesPerEdge / m!.bytesPerEdge).toBeGreaterThan(1.6);
    model.dispose();
    wide.dispose();
  });

  test('a chunk over the budget is refused before anything runs, with a size that fits', () => {
    const model = new GMN(CONFIG);
    const chunk = model.graphTensors(graphs);
    const limit = thresholdLimit(model, chunk);
    const before = weightsOf(model);
    const opt = tf.train.adam(1e-2);
    let calls = 0;
    const counted: ChunkLoss = (o, g, i) => {
      calls++;
      return loss(o, g, i);
    };
    let err: unknown;
    try {
      trainStep(model, opt, [chunk], counted, { heapLimitBytes: limit - 4096 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HeapBudgetError);
    const message = (err as Error).message;
    expect(message).toMatch(/training step on [\d,]+ edges needs about [\d.]+ GiB/);
    const suggested = Number(/model\.graphChunks\(graphs, (\d+)\)/.exec(message)?.[1]);
    expect(suggested).toBeGreaterThan(0);
    expect(suggested).toBeLessThan(chunk.numEdges);
    expect(calls).toBe(0);
    expect(weightsOf(model)).toEqual(before);
    // The suggested size is one the check admits at the same limit.
    expect(maxTrainableEdges(model, { heapLimitBytes: limit - 4096, nodesPerEdge: chunk.numNodes / chunk.numEdges })).toBe(suggested);
    // At the threshold the same step runs and trains.
    const value = trainStep(model, opt, [chunk], counted, { heapLimitBytes: limit });
    expect(Number.isFinite(value)).toBe(true);
    expect(calls).toBe(1);
    expect(weightsOf(model)).not.toEqual(before);
    // Opting out skips the check.
    expect(() => trainStep(model, opt, [chunk], counted, { heapLimitBytes: limit - 4096, memoryCheck: false })).not.toThrow();
    chunk.dispose();
    model.dispose();
    opt.dispose();
  });

  test('a single graph too big for the heap is named as such', () => {
    const model = new GMN(CONFIG);
    const chunk = model.graphTensors(graphs[0]!);
    const limit = thresholdLimit(model, chunk) - 4096;
    expect(() => checkChunksFit(model, [chunk], { heapLimitBytes: limit })).toThrow(/trainStep never splits a graph, and this model fits at most about [\d,]+ edges in one step: train this graph with trainStepByEdges\(model, optimizer, graph, loss, \{ maxEdgesPerChunk: \d+ \}\), or lower hidden \(16\)/);
    expect(() => checkChunksFit(model, [chunk], { heapLimitBytes: limit + 8192 })).not.toThrow();
    expect(() => checkChunksFit(model, [chunk], { heapLimitBytes: -1 })).toThrow(HeapBudgetError);
    chunk.dispose();
    model.dispose();
  });

  test('a model that reads extra node columns is measured too (the calibration graphs carry zeros)', () => {
    const model = new GMN({ ...CONFIG, features: { frequencies: 8, valueFrequencies: 8, nodeExtra: 3 } });
    const plain = new GMN(CONFIG);
    const m = trainingMemory(model);
    const p = trainingMemory(plain);
    expect(m).not.toBeNull();
    // Three more input columns per node change the per-edge cost by little; the budget is positive and near the plain model's.
    expect(m!.bytesPerEdge).toBeGreaterThan(0.9 * p!.bytesPerEdge);
    expect(m!.bytesPerEdge).toBeLessThan(1.1 * p!.bytesPerEdge);
    expect(maxTrainableEdges(model)).toBeGreaterThan(0);
    model.dispose();
    plain.dispose();
  });

  test('graphChunks splits by the heap budget by default', () => {
    const model = new GMN(CONFIG);
    // The 4 GiB heap takes these small graphs in one chunk.
    const one = model.graphChunks(graphs);
    expect(one).toHaveLength(1);
    expect(one[0]!.numGraphs).toBe(2);
    one.forEach((c) => c.dispose());
    // An explicit budget still wins.
    const two = model.graphChunks(graphs, graphs[0]!.numEdges);
    expect(two.map((c) => c.numGraphs)).toEqual([1, 1]);
    two.forEach((c) => c.dispose());
    model.dispose();
  });

  test('a WebAssembly trap in a step becomes HeapExhaustedError; other errors pass through', () => {
    const model = new GMN(CONFIG);
    const chunk = model.graphTensors(graphs[0]!);
    const opt = tf.train.adam(1e-3);
    const trap: ChunkLoss = () => {
      throw new WebAssembly.RuntimeError('memory access out of bounds');
    };
    expect(() => trainStep(model, opt, [chunk], trap)).toThrow(HeapExhaustedError);
    expect(() => trainStep(model, opt, [chunk], trap)).toThrow(/memory access out of bounds.*restart with smaller chunks/);
    const plain: ChunkLoss = () => {
      throw new RangeError('not a heap problem');
    };
    expect(() => trainStep(model, opt, [chunk], plain)).toThrow(RangeError);
    // A trap inside the model's forward pass: named as inference by apply, as training by trainStep.
    const layer = model.layers[0]!;
    const forward = layer.forward.bind(layer);
    layer.forward = () => {
      throw new WebAssembly.RuntimeError('memory access out of bounds');
    };
    try {
      expect(() => model.apply(chunk)).toThrow(/during a forward pass on [\d,]+ edges.*run fewer graphs/);
      let err: unknown;
      try {
        trainStep(model, opt, [chunk], loss);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(HeapExhaustedError);
      expect((err as HeapExhaustedError).trap).toBe('memory access out of bounds');
      expect((err as Error).message).toMatch(/during a training step/);
    } finally {
      layer.forward = forward;
    }
    chunk.dispose();
    model.dispose();
    opt.dispose();
  });

  test('the calibration leaves training bit-identical (dropout stream untouched)', () => {
    const run = (check: boolean) => {
      const model = new GMN({ ...CONFIG, dropout: 0.3 });
      const chunk = model.graphTensors(graphs);
      const opt = tf.train.adam(1e-2);
      const losses = [0, 1].map((s) => trainStep(model, opt, [chunk], loss, { memoryCheck: check, step: s }));
      const w = weightsOf(model);
      chunk.dispose();
      model.dispose();
      opt.dispose();
      return { losses, w };
    };
    const withCheck = run(true);
    const without = run(false);
    expect(withCheck.losses).toEqual(without.losses);
    expect(withCheck.w).toEqual(without.w);
  });

  test('backends without a fixed heap plan nothing unless asked', async () => {
    await initBackend({ backend: 'cpu' });
    try {
      const model = new GMN(CONFIG);
      expect(maxTrainableEdges(model)).toBeNull();
      const chunk = model.graphTensors(graphs[0]!);
      expect(() => checkChunksFit(model, [chunk])).not.toThrow();
      expect(maxTrainableEdges(model, { heapLimitBytes: 2 ** 30 })).toBeGreaterThan(chunk.numEdges);
      chunk.dispose();
      model.dispose();
    } finally {
      await initBackend({ backend: 'wasm' });
    }
  });

  test('a GMN owns exactly its variables: dispose frees every tensor it made', () => {
    const before = tf.memory().numTensors;
    const model = new GMN(CONFIG);
    expect(tf.memory().numTensors - before).toBe(model.trainableVariables.length);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
