import fc from 'fast-check';
import { tf } from '@metanet/tensor';
import { hiddenGroups, paramInfos, permuteHiddenArrays, randomHiddenPermutation, validateSpec, type NetSpec } from '@metanet/spec';
import { beforeAll, describe, expect, it } from 'vitest';
import { forward, initParamArrays, initParams, permuteHidden } from '../src/index';
import { setupBackend } from './support/backend';

beforeAll(async () => {
  await setupBackend();
});

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);

/** torch.nn.GroupNorm written out with loops in float64, on NHWC (or [N, C]) data. */
function slowGroupNorm(x: Float32Array, shape: number[], gamma: Float32Array, beta: Float32Array, groups: number, eps: number): Float64Array {
  const n = shape[0] as number;
  const c = shape[shape.length - 1] as number;
  const positions = x.length / (n * c);
  const per = c / groups;
  const out = new Float64Array(x.length);
  for (let b = 0; b < n; b++) {
    for (let g = 0; g < groups; g++) {
      const at = (p: number, k: number): number => (b * positions + p) * c + g * per + k;
      let sum = 0;
      for (let p = 0; p < positions; p++) for (let k = 0; k < per; k++) sum += x[at(p, k)] as number;
      const mean = sum / (positions * per);
      let sq = 0;
      for (let p = 0; p < positions; p++) for (let k = 0; k < per; k++) sq += ((x[at(p, k)] as number) - mean) ** 2;
      const std = Math.sqrt(sq / (positions * per) + eps);
      for (let p = 0; p < positions; p++) {
        for (let k = 0; k < per; k++) out[at(p, k)] = (((x[at(p, k)] as number) - mean) / std) * (gamma[g * per + k] as number) + (beta[g * per + k] as number);
      }
    }
  }
  return out;
}

describe('groupnorm forward', () => {
  it('matches a slow reference on images and vectors, for several group counts and eps', () => {
    const cases: [number[], number, number][] = [
      [[2, 3, 4, 6], 3, 1e-5],
      [[2, 3, 4, 6], 1, 1e-5],
      [[2, 3, 4, 6], 6, 1e-3],
      [[3, 8], 4, 1e-5],
    ];
    cases.forEach(([shape, groups, eps], k) => {
      const c = shape[shape.length - 1] as number;
      const spec = validateSpec({ input: shape.slice(1), layers: [{ type: 'groupnorm', groups, eps }] });
      const x = tf.randomNormal(shape, 1, 2, 'float32', k);
      const gamma = tf.randomNormal([c], 1, 0.5, 'float32', 10 + k);
      const beta = tf.randomNormal([c], 0, 0.5, 'float32', 20 + k);
      const y = forward(spec, [gamma, beta], x).dataSync();
      const want = slowGroupNorm(x.dataSync() as Float32Array, shape, gamma.dataSync() as Float32Array, beta.dataSync() as Float32Array, groups, eps);
      expect(y.length).toBe(want.length);
      want.forEach((v, i) => expect(Math.abs((y[i] as number) - v), `case ${k} element ${i}`).toBeLessThan(1e-4));
    });
  });

  it('gradients match finite differences through a conv → groupnorm net', () => {
    const spec = validateSpec({
      input: [4, 4, 2],
      layers: [{ type: 'conv2d', filters: 4, kernel: 3, padding: 1 }, { type: 'groupnorm', groups: 2 }, { type: 'activation', fn: 'tanh' }, { type: 'globalavgpool' }, { type: 'dense', units: 3 }],
    });
    const params = initParams(spec, { seed: 3 });
    const x = tf.randomNormal([2, 4, 4, 2], 0, 1, 'float32', 4);
    const loss = (ps: tf.Tensor[]): tf.Scalar => tf.sum(tf.square(forward(spec, ps, x))) as tf.Scalar;
    const grads = tf.grads((...ps: tf.Tensor[]) => loss(ps))(params);
    const infos = paramInfos(spec);
    for (const name of ['layers.0.weight', 'layers.1.weight', 'layers.1.bias']) {
      const k = infos.findIndex((p) => p.name === name);
      const w = Array.from((params[k] as tf.Tensor).dataSync());
      const at = (delta: number): number => {
        const v = w.slice();
        v[1] = (v[1] as number) + delta;
        const ps = params.map((p, j) => (j === k ? tf.tensor(v, p.shape) : p));
        return loss(ps).dataSync()[0] as number;
      };
      const fd = (at(1e-2) - at(-1e-2)) / 2e-2;
      expect((grads[k] as tf.Tensor).dataSync()[1], name).toBeCloseTo(fd, 2);
    }
  });
});

describe('groupnorm permutation symmetries', () => {
  const net: NetSpec = validateSpec({
    input: [5, 5, 2],
    layers: [
      { type: 'conv2d', filters: 6, kernel: 3, padding: 1 },
      { type: 'groupnorm', groups: 3 },
      { type: 'activation', fn: 'relu' },
      { type: 'conv2d', filters: 4, kernel: 3, stride: 2 },
      { type: 'flatten' },
      { type: 'groupnorm', groups: 2 },
      { type: 'dense', units: 3 },
    ],
  });

  it('permuting runs and the channels within them keeps the function (property)', () => {
    expect(hiddenGroups(net)).toEqual([
      { id: 'layers.0', size: 6, blockSize: 2 },
      { id: 'layers.3', size: 4, blockSize: 2 },
    ]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const params = initParams(net, { seed, scheme: 'he' });
        const x = tf.randomNormal([3, 5, 5, 2], 0, 1, 'float32', seed);
        const p = permuteHidden(net, params, randomHiddenPermutation(net, seed + 1));
        const a = forward(net, params, x);
        expect(maxDiff(a, forward(net, p.params, x))).toBeLessThan(1e-5 * Math.max(1, tf.max(tf.abs(a)).dataSync()[0] as number));
        expect(p.params.some((t, k) => maxDiff(t, params[k] as tf.Tensor) > 0)).toBe(true);
      }),
      { numRuns: 8, seed: 2 },
    );
  });

  it('a permutation that moves a channel into another run changes the function', () => {
    // The same tensors under layer norms accept any channel permutation; applied to the group-norm net it breaks it.
    const asLayerNorm = validateSpec({ ...net, layers: net.layers.map((l) => (l.type === 'groupnorm' ? { type: 'layernorm' } : l)) });
    const arrays = initParamArrays(net, { seed: 7, scheme: 'he' });
    const moved = permuteHiddenArrays(asLayerNorm, arrays, { 'layers.0': [0, 2, 1, 3, 4, 5] }).params;
    const x = tf.randomNormal([3, 5, 5, 2], 0, 1, 'float32', 8);
    const tensors = (a: Float32Array[]): tf.Tensor[] => a.map((v, k) => tf.tensor(v, paramInfos(net)[k]!.shape));
    expect(maxDiff(forward(net, tensors(arrays), x), forward(net, tensors(moved), x))).toBeGreaterThan(1e-3);
    expect(maxDiff(forward(asLayerNorm, tensors(arrays), x), forward(asLayerNorm, tensors(moved), x))).toBeLessThan(1e-4);
  });
});
