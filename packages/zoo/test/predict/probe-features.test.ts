import { toParameterGraph } from '@metanet/graph';
import { forward, initParamArrays } from '@metanet/nets';
import { architecture, paramInfos, permuteHiddenArrays, randomHiddenPermutation, validateSpec, type NetSpec } from '@metanet/spec';
import { initBackend, tf } from '@metanet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROBE_COLUMNS, probeInputs, probeNodeFeatures } from '../../src/predict/probe-features';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const CONFIG = { count: 5, seed: 11 };
const squash = (x: number): number => Math.sign(x) * Math.log1p(Math.abs(x));
const netOf = (spec: NetSpec, seed: number) => ({ spec, params: initParamArrays(spec, { seed }), buffers: [], meta: {} });
const rowOf = (f: Float32Array, node: number): number[] => Array.from(f.subarray(node * PROBE_COLUMNS, (node + 1) * PROBE_COLUMNS));

describe('probe features', () => {
  it("give each hidden unit its pre- and post-activation mean and std over the probes, each output unit its logit's, and zeros elsewhere", () => {
    const spec = architecture('mlp:3-4-2');
    const net = netOf(spec, 1);
    const graph = toParameterGraph(spec, net.params);
    const f = probeNodeFeatures(net, graph, CONFIG);
    expect(f.length).toBe(graph.numNodes * PROBE_COLUMNS);
    const x = probeInputs(spec, CONFIG);
    expect(x.every((v) => v >= -1 && v <= 1)).toBe(true);
    const [w1, b1, w2, b2] = net.params as [Float32Array, Float32Array, Float32Array, Float32Array];
    const E = graph.numEdges;
    const moments = (vals: number[]): [number, number] => {
      const m = vals.reduce((a, b) => a + b, 0) / vals.length;
      return [m, Math.sqrt(vals.reduce((a, v) => a + (v - m) ** 2, 0) / vals.length)];
    };
    const hidden = Array.from({ length: CONFIG.count }, (_, p) => Array.from({ length: 4 }, (_, o) => b1[o]! + [0, 1, 2].reduce((s, i) => s + x[p * 3 + i]! * w1[o * 3 + i]!, 0)));
    const seenNodes = new Set<number>();
    for (let o = 0; o < 4; o++) {
      const node = graph.edgeIndex[E + graph.paramEdges[0]!.start + o * 3]!;
      seenNodes.add(node);
      const [pm, ps] = moments(hidden.map((h) => h[o]!));
      const [qm, qs] = moments(hidden.map((h) => Math.max(h[o]!, 0)));
      rowOf(f, node).forEach((v, c) => expect(v).toBeCloseTo(squash([pm, ps, qm, qs][c]!), 5));
    }
    for (let o = 0; o < 2; o++) {
      const node = graph.edgeIndex[E + graph.paramEdges[2]!.start + o * 4]!;
      seenNodes.add(node);
      const logits = hidden.map((h) => b2[o]! + h.reduce((s, v, i) => s + Math.max(v, 0) * w2[o * 4 + i]!, 0));
      const [m, s] = moments(logits);
      // Nothing follows the output layer: "after" is the logit itself.
      rowOf(f, node).forEach((v, c) => expect(v).toBeCloseTo(squash([m, s, m, s][c]!), 5));
    }
    for (let n = 0; n < graph.numNodes; n++) if (!seenNodes.has(n)) expect(rowOf(f, n)).toEqual([0, 0, 0, 0]);
  });

  it('are a function of (weights, count, seed): the same again, other with another seed', () => {
    const spec = architecture('mlp:3-4-2');
    const net = netOf(spec, 2);
    const graph = toParameterGraph(spec, net.params);
    expect(probeNodeFeatures(net, graph, CONFIG)).toEqual(probeNodeFeatures(net, graph, CONFIG));
    expect(probeNodeFeatures(net, graph, { ...CONFIG, seed: 12 })).not.toEqual(probeNodeFeatures(net, graph, CONFIG));
  });

  it('take given inputs instead of noise, and refuse inputs of the wrong size', () => {
    const spec = architecture('mlp:3-4-2');
    const net = netOf(spec, 5);
    const graph = toParameterGraph(spec, net.params);
    const given = { ...CONFIG, seed: 999, inputs: Array.from(probeInputs(spec, CONFIG)) };
    expect(probeNodeFeatures(net, graph, given)).toEqual(probeNodeFeatures(net, graph, CONFIG));
    expect(() => probeNodeFeatures(net, graph, { ...given, inputs: [1, 2] })).toThrow(/expected 5 × 3/);
  });

  it('move with the hidden units under a permutation, and leave the outputs as they are', () => {
    const spec = architecture('mlp:3-6-5-2');
    const net = netOf(spec, 3);
    const perms = randomHiddenPermutation(spec, 9);
    const permuted = { ...net, params: permuteHiddenArrays(spec, net.params, perms).params };
    const g = toParameterGraph(spec, net.params);
    const gp = toParameterGraph(spec, permuted.params);
    const a = probeNodeFeatures(net, g, CONFIG);
    const b = probeNodeFeatures(permuted, gp, CONFIG);
    const E = g.numEdges;
    const infos = paramInfos(spec);
    const groups = Object.values(perms);
    expect(groups.length).toBe(2);
    // Weight tensors 0 and 2 produce the two hidden layers (perm[new] = old); tensor 4 the outputs.
    [0, 2].forEach((t, k) => {
      const perm = groups[k]!;
      const fanIn = infos[t]!.shape[1]!;
      for (let o = 0; o < infos[t]!.shape[0]!; o++) {
        const nodeNew = gp.edgeIndex[E + g.paramEdges[t]!.start + o * fanIn]!;
        const nodeOld = g.edgeIndex[E + g.paramEdges[t]!.start + perm[o]! * fanIn]!;
        rowOf(b, nodeNew).forEach((v, c) => expect(v).toBeCloseTo(rowOf(a, nodeOld)[c]!, 5));
      }
    });
    for (let o = 0; o < 2; o++) {
      const node = g.edgeIndex[E + g.paramEdges[4]!.start + o * 5]!;
      rowOf(b, node).forEach((v, c) => expect(v).toBeCloseTo(rowOf(a, node)[c]!, 5));
    }
  });

  it("read a conv channel's output over probes and positions, and its activation's", () => {
    const spec = validateSpec({
      version: 1,
      name: 'c',
      input: [6, 6, 1],
      layers: [{ type: 'conv2d', filters: 3, kernel: 3, stride: 2, padding: 1 }, { type: 'activation', fn: 'tanh' }, { type: 'globalavgpool' }, { type: 'dense', units: 2 }],
    });
    const net = netOf(spec, 4);
    const graph = toParameterGraph(spec, net.params);
    const f = probeNodeFeatures(net, graph, CONFIG);
    const taps = new Map<number, number[][]>();
    tf.tidy(() => {
      const params = net.params.map((p, k) => tf.tensor(p, paramInfos(spec)[k]!.shape));
      forward(spec, params, tf.tensor(probeInputs(spec, CONFIG), [CONFIG.count, 6, 6, 1]), {
        tap: (i, h) => taps.set(i, tf.reshape(h, [-1, h.shape[h.shape.length - 1]!]).arraySync() as number[][]),
      });
    });
    for (let o = 0; o < 3; o++) {
      const node = graph.edgeIndex[graph.numEdges + graph.paramEdges[0]!.start + o * 9]!;
      const col = (i: number): number[] => taps.get(i)!.map((r) => r[o]!);
      const m = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
      const s = (v: number[]): number => Math.sqrt(m(v.map((x) => (x - m(v)) ** 2)));
      expect(taps.get(0)!.length).toBe(CONFIG.count * 9); // 3 × 3 positions per probe
      rowOf(f, node).forEach((v, c) => expect(v).toBeCloseTo(squash([m(col(0)), s(col(0)), m(col(1)), s(col(1))][c]!), 5));
    }
  });

  it('read "post" only through layers that keep channels in place: through a batch norm, not through a flatten', () => {
    const layers = (middle: object[]) => validateSpec({ version: 1, name: 'p', input: [4, 4, 1], layers: [{ type: 'conv2d', filters: 3, kernel: 3, stride: 1, padding: 1 }, ...middle, { type: 'dense', units: 2 }] } as Parameters<typeof validateSpec>[0]);
    const flat = layers([{ type: 'flatten' }, { type: 'activation', fn: 'relu' }]);
    const bn = layers([{ type: 'batchnorm' }, { type: 'activation', fn: 'relu' }, { type: 'globalavgpool' }]);
    for (const spec of [flat, bn]) {
      const net = { ...netOf(spec, 6), buffers: [new Float32Array([0.1, -0.2, 0.3]), new Float32Array([1.5, 0.5, 2])] };
      if (spec === flat) net.buffers = [];
      const graph = toParameterGraph(spec, net.params);
      const f = probeNodeFeatures(net, graph, CONFIG);
      const taps = new Map<number, number[][]>();
      tf.tidy(() => {
        const params = net.params.map((p, k) => tf.tensor(p, paramInfos(spec)[k]!.shape));
        const buffers = net.buffers.map((b) => tf.tensor(b));
        forward(spec, params, tf.tensor(probeInputs(spec, CONFIG), [CONFIG.count, 4, 4, 1]), {
          buffers,
          tap: (i, h) => taps.set(i, tf.reshape(h, [-1, h.shape[h.shape.length - 1]!]).arraySync() as number[][]),
        });
      });
      const m = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
      const sd = (v: number[]): number => Math.sqrt(m(v.map((x) => (x - m(v)) ** 2)));
      for (let o = 0; o < 3; o++) {
        const node = graph.edgeIndex[graph.numEdges + graph.paramEdges[0]!.start + o * 9]!;
        const row = rowOf(f, node);
        const pre = taps.get(0)!.map((r) => r[o]!);
        expect(row[0]).toBeCloseTo(squash(m(pre)), 5);
        // Through the flatten "post" stays "pre"; through the batch norm it is the activation's output.
        const post = spec === flat ? pre : taps.get(2)!.map((r) => r[o]!);
        expect(row[2]).toBeCloseTo(squash(m(post)), 5);
        expect(row[3]).toBeCloseTo(squash(sd(post)), 5);
      }
    }
  });
});
