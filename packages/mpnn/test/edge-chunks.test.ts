import { initBackend, tf } from '@metanet/tensor';
import { beforeAll, describe, expect, test } from 'vitest';
import { GMN, InvalidConfigError, applyByEdges, peakBytesDuring, trainStep, trainStepByEdges, type ChunkLoss, type EdgeChunkedLoss, type GMNConfig } from '../src/index';
import { mlpGraph, randomMlp, weightsOf } from './helpers';

const BASE: Partial<GMNConfig> = { hidden: 8, globalHidden: 4, layers: 2, graphOutputs: 2, edgeOutputs: 1, edgeHeadZeroInit: false, seed: 11 };
const graphs = [mlpGraph(randomMlp([5, 7, 3], 1)), mlpGraph(randomMlp([4, 6, 6, 2], 2))];
const E = graphs.reduce((a, g) => a + g.numEdges, 0);

// The same loss both ways: mean square of the edge outputs over all edges + mean square of the graph output.
const chunked: EdgeChunkedLoss = {
  graph: (y) => tf.mean(tf.square(y)) as tf.Scalar,
  edge: (y) => tf.div(tf.sum(tf.square(y)), E) as tf.Scalar,
};
const whole: ChunkLoss = (out) => tf.add(chunked.graph!(out.graph!), chunked.edge!(out.edge!, 0, E)) as tf.Scalar;

/** One SGD step both ways from the same initial weights; returns the two weight deltas and losses. */
function bothWays(config: Partial<GMNConfig>, size: number) {
  const run = (edgeChunks: boolean) => {
    const model = new GMN({ ...BASE, ...config });
    const g = model.graphTensors(graphs);
    const before = weightsOf(model);
    const opt = tf.train.sgd(1);
    const loss = edgeChunks
      ? trainStepByEdges(model, opt, g, chunked, { maxEdgesPerChunk: size, training: false })
      : trainStep(model, opt, [g], whole, { training: false });
    const delta = weightsOf(model).map((w, i) => w.map((x, j) => x - before[i]![j]!));
    g.dispose();
    model.dispose();
    opt.dispose();
    return { loss, delta };
  };
  return { whole: run(false), chunks: run(true) };
}

function expectClose(a: Float32Array[], b: Float32Array[]) {
  expect(a.length).toBe(b.length);
  let scale = 0;
  let worst = 0;
  a.forEach((x, i) => x.forEach((v, j) => {
    scale = Math.max(scale, Math.abs(v));
    worst = Math.max(worst, Math.abs(v - b[i]![j]!));
  }));
  expect(scale).toBeGreaterThan(0);
  expect(worst).toBeLessThan(1e-4 * scale + 1e-6);
}

describe('trainStepByEdges', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  test.each([
    ['sum, fused message path', {}, 37],
    ['mean aggregation', { aggregation: 'mean' }, 50],
    ['3-layer MLPs (unfolded messages), edge LayerNorm', { mlpLayers: 3, layerNorm: 'all' }, 23],
    ['naive concat path, no residual', { naive: true, residual: false }, 64],
    ['no global update', { globalUpdate: false }, 41],
    ['one chunk holding every edge', {}, 100_000],
    ['messages in both directions', { direction: 'both' }, 33],
    ['both directions, mean, 3-layer MLPs, no global update', { direction: 'both', aggregation: 'mean', mlpLayers: 3, globalUpdate: false }, 27],
    ['backward messages only', { direction: 'backward' }, 45],
  ] as const)('gives the whole-graph gradients (%s)', (_name, config, size) => {
    const r = bothWays(config, size);
    // The sums run in another order, so the loss agrees to float32 rounding.
    expect(Math.abs(r.chunks.loss - r.whole.loss)).toBeLessThan(1e-5 * Math.abs(r.whole.loss));
    expectClose(r.chunks.delta, r.whole.delta);
  });

  test.each([
    ['sum', {}, 31],
    ['mean, edge LayerNorm, 3-layer MLPs', { aggregation: 'mean', layerNorm: 'all', mlpLayers: 3 }, 47],
    ['no edge update, 2 edge outputs', { edgeUpdate: false, edgeOutputs: 2 }, 19],
    ['messages in both directions, mean', { direction: 'both', aggregation: 'mean' }, 29],
  ] as const)('applyByEdges gives GMN#apply\'s outputs (%s)', (_name, config, size) => {
    const model = new GMN({ ...BASE, ...config });
    const g = model.graphTensors(graphs);
    const ref = tf.tidy(() => {
      const o = model.apply(g);
      return [o.graph!, o.edge!];
    });
    const out = applyByEdges(model, g, { maxEdgesPerChunk: size });
    const [rg, re] = [ref[0]!.dataSync(), ref[1]!.dataSync()];
    expect(out.graph!.shape).toEqual(ref[0]!.shape);
    expect(out.edge!.length).toBe(re.length);
    const close = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      let scale = 0;
      let worst = 0;
      for (let i = 0; i < a.length; i++) {
        scale = Math.max(scale, Math.abs(b[i]!));
        worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      }
      expect(scale).toBeGreaterThan(0);
      expect(worst).toBeLessThan(1e-5 * scale + 1e-6);
    };
    close(out.graph!.dataSync(), rg);
    close(out.edge!, re);
    const n = tf.memory().numTensors;
    out.graph!.dispose();
    expect(tf.memory().numTensors).toBe(n - 1);
    tf.dispose(ref);
    g.dispose();
    model.dispose();
  });

  test('the same on the cpu backend (JavaScript kernels)', async () => {
    await initBackend({ backend: 'cpu' });
    try {
      const r = bothWays({ aggregation: 'mean' }, 29);
      expect(Math.abs(r.chunks.loss - r.whole.loss)).toBeLessThan(1e-5 * Math.abs(r.whole.loss));
      expectClose(r.chunks.delta, r.whole.delta);
    } finally {
      await initBackend({ backend: 'wasm' });
    }
  });

  test('only an edge loss, or only a graph loss', () => {
    for (const loss of [{ edge: chunked.edge! }, { graph: chunked.graph! }] as EdgeChunkedLoss[]) {
      const model = new GMN(BASE);
      const g = model.graphTensors(graphs);
      const w0 = weightsOf(model);
      const value = trainStepByEdges(model, tf.train.sgd(0.5), g, loss, { maxEdgesPerChunk: 30 });
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThan(0);
      expect(weightsOf(model)).not.toEqual(w0);
      g.dispose();
      model.dispose();
    }
  });

  test('peak memory follows the chunk, not the graph', () => {
    const model = new GMN({ ...BASE, hidden: 16 });
    const big = [mlpGraph(randomMlp([40, 60, 40, 8], 3)), mlpGraph(randomMlp([30, 50, 50, 8], 4))];
    const g = model.graphTensors(big);
    const before = tf.memory().numBytes;
    const wholePeak = peakBytesDuring(() => {
      trainStep(model, tf.train.sgd(0), [g], (out) => tf.add(tf.mean(tf.square(out.graph!)), tf.mean(tf.square(out.edge!))) as tf.Scalar, { memoryCheck: false });
    })! - before;
    const chunkPeak = peakBytesDuring(() => {
      trainStepByEdges(model, tf.train.sgd(0), g, chunked, { maxEdgesPerChunk: Math.ceil(g.numEdges / 8) });
    })! - before;
    expect(chunkPeak).toBeLessThan(0.4 * wholePeak);
    g.dispose();
    model.dispose();
  });

  test('dropout masks are seeded: the same seed trains alike, another seed differs', () => {
    const run = (seed: number) => {
      const model = new GMN({ ...BASE, dropout: 0.3 });
      const g = model.graphTensors(graphs);
      trainStepByEdges(model, tf.train.sgd(0.5), g, chunked, { maxEdgesPerChunk: 33, seed });
      const w = weightsOf(model);
      g.dispose();
      model.dispose();
      return w;
    };
    expect(run(4)).toEqual(run(4));
    expect(run(4)).not.toEqual(run(5));
  });

  test('bad options are refused before anything runs', () => {
    const model = new GMN(BASE);
    const g = model.graphTensors(graphs);
    const opt = tf.train.sgd(1);
    const w0 = weightsOf(model);
    expect(() => trainStepByEdges(model, opt, g, chunked, { maxEdgesPerChunk: 0 })).toThrow(/maxEdgesPerChunk=0; use a positive integer/);
    expect(() => trainStepByEdges(model, opt, g, {}, { maxEdgesPerChunk: 10 })).toThrow(InvalidConfigError);
    const maxModel = new GMN({ ...BASE, aggregation: 'max' });
    const gm = maxModel.graphTensors(graphs);
    expect(() => trainStepByEdges(maxModel, opt, gm, chunked, { maxEdgesPerChunk: 10 })).toThrow(/use aggregation 'sum' or 'mean'/);
    const noEdgeHead = new GMN({ ...BASE, edgeOutputs: 0 });
    const gn = noEdgeHead.graphTensors(graphs);
    expect(() => trainStepByEdges(noEdgeHead, opt, gn, chunked, { maxEdgesPerChunk: 10 })).toThrow(/no edge head/);
    expect(weightsOf(model)).toEqual(w0);
    [g, gm, gn].forEach((t) => t.dispose());
    [model, maxModel, noEdgeHead].forEach((m) => m.dispose());
  });

  test('no tensors leak across steps', () => {
    const model = new GMN(BASE);
    const g = model.graphTensors(graphs);
    const opt = tf.train.adam(1e-2);
    trainStepByEdges(model, opt, g, chunked, { maxEdgesPerChunk: 29 }); // creates the optimiser slots
    const n = tf.memory().numTensors;
    for (let s = 0; s < 3; s++) trainStepByEdges(model, opt, g, chunked, { maxEdgesPerChunk: 29, seed: s });
    expect(tf.memory().numTensors).toBe(n);
    g.dispose();
    model.dispose();
    opt.dispose();
  });
});
