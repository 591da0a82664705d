import { createRng, tf } from '@metanet/tensor';
import { architecture, paramInfos, validateSpec } from '@metanet/spec';
import { setupBackend } from './support/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  forward,
  forwardWithBuffers,
  initBuffers,
  initParams,
  InvalidWeightsError,
} from '../src/index';

beforeAll(async () => {
  await setupBackend();
});

const arr = (t: tf.Tensor): number[] => Array.from(t.dataSync());

/**
 * torch.nn.MultiheadAttention's forward in plain JS, in float64: y = x Wᵀ + b per
 * projection, heads are contiguous slices of the model width, softmax(q kᵀ / √d_h) v,
 * heads concatenated, then the output projection.
 */
function referenceAttention(x: Float32Array, n: number, t: number, d: number, heads: number, w: Float32Array[], b?: Float32Array[]): number[] {
  const dh = d / heads;
  const project = (input: ArrayLike<number>, k: number): number[] => {
    const out = new Array<number>(n * t * d).fill(0);
    for (let r = 0; r < n * t; r++) {
      for (let o = 0; o < d; o++) {
        let s = b ? b[k]![o]! : 0;
        for (let i = 0; i < d; i++) s += input[r * d + i]! * w[k]![o * d + i]!;
        out[r * d + o] = s;
      }
    }
    return out;
  };
  const [q, k, v] = [project(x, 0), project(x, 1), project(x, 2)];
  const ctx = new Array<number>(n * t * d).fill(0);
  for (let s = 0; s < n; s++) {
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < t; i++) {
        const scores: number[] = [];
        for (let j = 0; j < t; j++) {
          let dot = 0;
          for (let c = 0; c < dh; c++) dot += q[(s * t + i) * d + h * dh + c]! * k[(s * t + j) * d + h * dh + c]!;
          scores.push(dot / Math.sqrt(dh));
        }
        const top = Math.max(...scores);
        const e = scores.map((z) => Math.exp(z - top));
        const z = e.reduce((a, c) => a + c, 0);
        for (let c = 0; c < dh; c++) {
          let acc = 0;
          for (let j = 0; j < t; j++) acc += (e[j]! / z) * v[(s * t + j) * d + h * dh + c]!;
          ctx[(s * t + i) * d + h * dh + c] = acc;
        }
      }
    }
  }
  return project(ctx, 3);
}

describe('forward', () => {
  it('dense uses the (out, in) layout: y = x Wᵀ + b', () => {
    const spec = validateSpec({ input: [3], layers: [{ type: 'dense', units: 2 }] });
    const w = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const b = tf.tensor1d([10, 20]);
    const y = forward(spec, [w, b], tf.tensor2d([[1, 0, -1]]));
    expect(arr(y)).toEqual([1 - 3 + 10, 4 - 6 + 20]);
  });

  it('conv uses the (out, in, kh, kw) layout and cross-correlates like PyTorch', () => {
    const spec = validateSpec({ input: [3, 3, 2], layers: [{ type: 'conv2d', filters: 1, kernel: 2, bias: false }] });
    // Input channel 0 = 1..9 row-major, channel 1 = 0; kernel on channel 0 = [[1, 0], [0, 2]].
    const x = tf.tensor4d(Array.from({ length: 9 }, (_, k) => [k + 1, 0]).flat(), [1, 3, 3, 2]);
    const w = tf.tensor4d([1, 0, 0, 2, 5, 5, 5, 5], [1, 2, 2, 2]);
    const y = forward(spec, [w], x);
    expect(y.shape).toEqual([1, 2, 2, 1]);
    expect(arr(y)).toEqual([1 + 2 * 5, 2 + 2 * 6, 4 + 2 * 8, 5 + 2 * 9]);
  });

  it('flatten follows PyTorch (C, H, W) order (hand check)', () => {
    const spec = validateSpec({ input: [2, 2, 2], layers: [{ type: 'flatten' }] });
    // NHWC value = 100·c + 10·h + w
    const vals: number[] = [];
    for (let h = 0; h < 2; h++) for (let w = 0; w < 2; w++) for (let c = 0; c < 2; c++) vals.push(100 * c + 10 * h + w);
    const y = forward(spec, [], tf.tensor4d(vals, [1, 2, 2, 2]));
    expect(arr(y)).toEqual([0, 1, 10, 11, 100, 101, 110, 111]);
  });

  it('MLPs accept images with the same per-example size', () => {
    const spec = architecture('mlp:12-4-3');
    const params = initParams(spec, { seed: 1 });
    const x = tf.randomNormal([5, 2, 2, 3], 0, 1, 'float32', 3);
    const a = forward(spec, params, x);
    const b = forward(spec, params, tf.reshape(x, [5, 12]));
    expect(a.shape).toEqual([5, 3]);
    expect(arr(a)).toEqual(arr(b));
    expect(() => forward(spec, params, tf.zeros([5, 11]))).toThrow(InvalidWeightsError);
  });

  it('rejects params of the wrong count or shape with InvalidWeightsError', () => {
    const spec = architecture('mlp:4-3-2');
    const params = initParams(spec);
    expect(() => forward(spec, params.slice(1), tf.zeros([1, 4]))).toThrow(/expected 4 param/);
    expect(() => forward(spec, [params[1] as tf.Tensor, ...params.slice(1)], tf.zeros([1, 4]))).toThrow(/layers\.0\.weight/);
  });

  it('gradients flow into every param (tf.grads)', () => {
    const spec = architecture('homework-cnn', { inputSize: 8 });
    const params = initParams(spec, { seed: 2 });
    const x = tf.randomNormal([4, 8, 8, 1], 0, 1, 'float32', 1);
    const grads = tf.grads((...ps: tf.Tensor[]) => tf.sum(forward(spec, ps, x, { training: true, seed: 1 })))(params);
    expect(grads).toHaveLength(params.length);
    grads.forEach((g, k) => {
      expect(g.shape).toEqual((paramInfos(spec)[k] as { shape: number[] }).shape);
      expect(tf.sum(tf.abs(g)).dataSync()[0]).toBeGreaterThan(0);
    });
  });

  it('matches a finite-difference derivative for a conv net param', () => {
    const spec = architecture('small-cnn', { width: 2, inputSize: 6, classes: 3, activation: 'tanh' });
    const params = initParams(spec, { seed: 5 });
    const x = tf.randomNormal([2, 6, 6, 1], 0, 1, 'float32', 9);
    const loss = (ps: tf.Tensor[]): tf.Scalar => tf.sum(tf.square(forward(spec, ps, x))) as tf.Scalar;
    const g = tf.grads((...ps: tf.Tensor[]) => loss(ps))(params)[0] as tf.Tensor;
    const w = arr(params[0] as tf.Tensor);
    const eps = 1e-2;
    const at = (delta: number): number => {
      const v = w.slice();
      v[4] = (v[4] as number) + delta;
      const ps = [tf.tensor(v, (params[0] as tf.Tensor).shape), ...params.slice(1)];
      return loss(ps).dataSync()[0] as number;
    };
    const fd = (at(eps) - at(-eps)) / (2 * eps);
    expect(g.dataSync()[4]).toBeCloseTo(fd, 2);
  });

  it('BN: train mode uses batch stats and returns new running stats without mutating; eval uses running stats', () => {
    const spec = validateSpec({ input: [2], layers: [{ type: 'batchnorm', momentum: 0.5 }] });
    const params = [tf.tensor1d([1, 1]), tf.tensor1d([0, 0])];
    const buffers = initBuffers(spec);
    const x = tf.tensor2d([[1, 10], [3, 30]]);
    const r = forwardWithBuffers(spec, params, x, { training: true, buffers });
    const y = arr(r.output);
    expect(y[0]).toBeCloseTo(-1, 3);
    expect(y[3]).toBeCloseTo(1, 3);
    expect(arr(r.buffers[0] as tf.Tensor)).toEqual([1, 10]); // 0.5·0 + 0.5·mean
    // unbiased var: (1, 100)·2/1 → 0.5·1 + 0.5·(2, 200)
    expect(arr(r.buffers[1] as tf.Tensor)).toEqual([1.5, 100.5]);
    expect(arr(buffers[0] as tf.Tensor)).toEqual([0, 0]);
    const e = forward(spec, params, x, { buffers: r.buffers });
    expect(arr(e)[0]).toBeCloseTo((1 - 1) / Math.sqrt(1.5 + 1e-5), 5);
    expect(arr(e)[1]).toBeCloseTo((10 - 10) / Math.sqrt(100.5 + 1e-5), 5);
  });

  it('dropout: off in eval, seeded in train, scales kept units by 1/(1-p)', () => {
    const spec = validateSpec({ input: [1000], layers: [{ type: 'dropout', rate: 0.25 }] });
    const x = tf.ones([1, 1000]);
    expect(arr(forward(spec, [], x))).toEqual(arr(x));
    const a = arr(forward(spec, [], x, { training: true, seed: 4 }));
    const b = arr(forward(spec, [], x, { training: true, seed: 4 }));
    const c = arr(forward(spec, [], x, { training: true, seed: 5 }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const kept = a.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
    expect(kept.length).toBeGreaterThan(700);
    expect(kept.length).toBeLessThan(800);
  });

  it('residual block: identity shortcut adds the input back (zero convs → relu(x))', () => {
    const spec = validateSpec({ input: [4, 4, 2], layers: [{ type: 'residual', filters: 2 }] });
    const params = initParams(spec, { seed: 1 }).map((p, k) => (paramInfos(spec)[k]?.name.includes('conv') ? tf.zerosLike(p) : p));
    const x = tf.randomNormal([2, 4, 4, 2], 0, 1, 'float32', 2);
    expect(arr(forward(spec, params, x))).toEqual(arr(tf.relu(x)));
    const proj = validateSpec({ input: [4, 4, 2], layers: [{ type: 'residual', filters: 3, stride: 2 }] });
    expect(forward(proj, initParams(proj), x).shape).toEqual([2, 2, 2, 3]);
  });

  it('attention: uniform scores when q/k are zero, output = out_proj(mean of values)', () => {
    const spec = validateSpec({ input: [3, 2], layers: [{ type: 'attention', heads: 1, bias: false }] });
    const eye = tf.tensor2d([[1, 0], [0, 1]]);
    const zero = tf.zeros([2, 2]);
    const x = tf.tensor3d([[[1, 2], [3, 4], [5, 9]]]);
    const y = arr(forward(spec, [zero, zero, eye, eye], x));
    for (let t = 0; t < 3; t++) {
      expect(y[2 * t]).toBeCloseTo(3, 5);
      expect(y[2 * t + 1]).toBeCloseTo(5, 5);
    }
  });

  it('attention matches a plain-JS multi-head attention (PyTorch layout) on random inputs', () => {
    for (const { heads, bias, seed } of [{ heads: 1, bias: true, seed: 1 }, { heads: 2, bias: true, seed: 2 }, { heads: 4, bias: false, seed: 3 }, { heads: 8, bias: true, seed: 4 }]) {
      const [n, t, d] = [2, 5, 8];
      const rng = createRng(seed);
      const rand = (size: number): Float32Array => Float32Array.from({ length: size }, () => rng.normal());
      const x = rand(n * t * d);
      const w = [rand(d * d), rand(d * d), rand(d * d), rand(d * d)];
      const b = [rand(d), rand(d), rand(d), rand(d)];
      const spec = validateSpec({ input: [t, d], layers: [{ type: 'attention', heads, bias }] });
      const params = [0, 1, 2, 3].flatMap((k) => [tf.tensor2d(w[k]!, [d, d]), ...(bias ? [tf.tensor1d(b[k]!)] : [])]);
      const got = arr(forward(spec, params, tf.tensor3d(x, [n, t, d])));
      const want = referenceAttention(x, n, t, d, heads, w, bias ? b : undefined);
      expect(got).toHaveLength(want.length);
      want.forEach((v, i) => expect(Math.abs(got[i]! - v), `heads ${heads} index ${i}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))));
    }
  });

  it('activations and layernorm', () => {
    const x = tf.tensor2d([[-1, 0, 2]]);
    const run = (layers: unknown[]): number[] => {
      const spec = validateSpec({ input: [3], layers });
      return arr(forward(spec, initParams(spec), x));
    };
    expect(run([{ type: 'activation', fn: 'relu' }])).toEqual([0, 0, 2]);
    expect(run([{ type: 'activation', fn: 'leaky_relu', alpha: 0.5 }])).toEqual([-0.5, 0, 2]);
    expect(run([{ type: 'activation', fn: 'gelu' }])[2]).toBeCloseTo(1.9545, 3);
    expect(run([{ type: 'activation', fn: 'sigmoid' }])[1]).toBeCloseTo(0.5, 6);
    const ln = run([{ type: 'layernorm' }]);
    expect(ln.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 5);
  });
});

describe('forward tap', () => {
  it("hands each layer's output to the callback, in order, ending with the net's output, and leaks nothing", () => {
    const spec = validateSpec({ version: 1, name: 'tap', input: [3], layers: [{ type: 'dense', units: 4 }, { type: 'activation', fn: 'relu' }, { type: 'dense', units: 2 }] });
    const params = initParams(spec, { seed: 3 });
    const x = tf.tensor2d([[1, -2, 0.5], [0, 1, -1]]);
    const seen: Array<{ index: number; values: number[]; shape: number[] }> = [];
    const before = tf.memory().numTensors;
    const out = forward(spec, params, x, { tap: (index, h) => seen.push({ index, values: arr(h), shape: h.shape }) });
    expect(seen.map((s) => s.index)).toEqual([0, 1, 2]);
    expect(seen.map((s) => s.shape)).toEqual([[2, 4], [2, 4], [2, 2]]);
    // Layer 0 is x·Wᵀ + b (PyTorch layout), layer 1 its ReLU, layer 2 the output.
    const [w, b] = [arr(params[0]!), arr(params[1]!)];
    const pre = [0, 1].flatMap((r) => [0, 1, 2, 3].map((o) => b[o]! + [0, 1, 2].reduce((s, i) => s + arr(x)[r * 3 + i]! * w[o * 3 + i]!, 0)));
    seen[0]!.values.forEach((v, i) => expect(v).toBeCloseTo(pre[i]!, 5));
    expect(seen[1]!.values).toEqual(seen[0]!.values.map((v) => Math.max(v, 0)));
    expect(seen[2]!.values).toEqual(arr(out));
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
