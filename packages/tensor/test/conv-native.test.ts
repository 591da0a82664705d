import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../src/index';
import { makeConv2DConfig } from '../src/kernels/conv2d';
import { makeConv2DBackpropInputConfig } from '../src/kernels/conv2d-backprop-input';
import { makeFusedConv2DConfig } from '../src/kernels/fused-conv2d';
import { CONV_CASES, checkGradient, expectClose, floats, onStockCpu, type ConvCase } from './helpers';


// Odd sizes, batch 1, channel counts off multiples of 4 and 8, strides 1, 2 and mixed,
// 'same', 'valid', symmetric and asymmetric explicit padding, a 1×1 conv (no im2col),
// and layers whose pixels (> 64) and K = 3·3·CI (> 128) span several blocks.
const CASES: ConvCase[] = [
  ...CONV_CASES,
  { x: [1, 9, 11, 5], filter: [3, 3, 5, 13], strides: 2, pad: 'valid' },
  { x: [3, 11, 9, 20], filter: [3, 3, 20, 9], strides: 1, pad: 'same' },
  { x: [2, 10, 10, 7], filter: [3, 2, 7, 17], strides: [1, 2], pad: [[0, 0], [2, 0], [1, 1], [0, 0]] },
  { x: [1, 13, 13, 3], filter: [4, 4, 3, 8], strides: 3, pad: 'same' },
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 5], strides: 1, pad: 'valid', dilations: 2 },
];

const size = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);

function outShape(c: ConvCase): [number, number, number, number] {
  return tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad, 'NHWC', c.dilations ?? 1).shape);
}

/** Forward, input gradient and filter gradient through the registered kernels of the current backend. */
function allThree(c: ConvCase, xv: Float32Array, fv: Float32Array, dyv: Float32Array): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor4d(xv, c.x);
    const f = tf.tensor4d(fv, c.filter);
    const dy = tf.tensor4d(dyv, outShape(c));
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
    const y = tf.conv2d(x, f, c.strides, c.pad, 'NHWC', c.dilations ?? 1);
    if (c.dilations !== undefined) return [y.dataSync() as Float32Array];
    const run = (name: string, inputs: tf.NamedTensorMap, extra: object): Float32Array =>
      (tf.engine().runKernel(name, inputs, { ...attrs, ...extra } as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync() as Float32Array;
    return [
      y.dataSync() as Float32Array,
      run('Conv2DBackpropInput', { dy, filter: f }, { inputShape: c.x }),
      run('Conv2DBackpropFilter', { x, dy }, { filterShape: c.filter }),
    ];
  });
}

describe('conv.c kernels (Conv2D, Conv2DBackpropInput, Conv2DBackpropFilter on wasm)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('match stock cpu on every geometry', async () => {
    for (const [i, c] of CASES.entries()) {
      const xv = floats(size(c.x), 500 + i);
      const fv = floats(size(c.filter), 600 + i);
      const dyv = floats(size(outShape(c)), 700 + i);
      const expected = await onStockCpu(() => allThree(c, xv, fv, dyv));
      await initBackend({ backend: 'wasm' });
      const got = allThree(c, xv, fv, dyv);
      got.forEach((g, k) => expectClose(g, expected[k]!, 1e-4, 1e-5));
    }
  });

  it('take the compiled route (no fallback) on every geometry', async () => {
    await initBackend({ backend: 'wasm' });
    const forward = makeConv2DConfig(undefined).kernelFunc;
    const input = makeConv2DBackpropInputConfig(undefined).kernelFunc;
    for (const c of CASES.filter((k) => k.dilations === undefined)) {
      tf.tidy(() => {
        const x = tf.zeros(c.x);
        const filter = tf.zeros(c.filter);
        const dy = tf.zeros(outShape(c));
        const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1, inputShape: c.x } as unknown as tf.NamedAttrMap;
        // With no stock kernel to fall back on, a shape conv.c refused would throw here.
        for (const out of [forward({ inputs: { x, filter }, attrs, backend: tf.backend() }), input({ inputs: { dy, filter }, attrs, backend: tf.backend() })]) {
          tf.engine().makeTensorFromTensorInfo(out as tf.TensorInfo).dispose();
        }
      });
    }
  });

  it('are deterministic: the same inputs give the same bits', async () => {
    await initBackend({ backend: 'wasm' });
    const c = CASES[7]!;
    const args = [floats(size(c.x), 1), floats(size(c.filter), 2), floats(size(outShape(c)), 3)] as const;
    const a = allThree(c, ...args);
    const b = allThree(c, ...args);
    a.forEach((v, k) => expect(Buffer.from(v.buffer).equals(Buffer.from(b[k]!.buffer))).toBe(true));
  });

  it('FusedConv2D (bias, linear or ReLU) matches stock cpu and takes the compiled route', async () => {
    for (const [i, c] of CASES.filter((k) => k.dilations === undefined).entries()) {
      for (const activation of ['linear', 'relu'] as const) {
        const xv = floats(size(c.x), 800 + i);
        const fv = floats(size(c.filter), 900 + i);
        const bv = floats(c.filter[3], 1000 + i);
        const fused = (): Float32Array =>
          tf.tidy(() => tf.fused.conv2d({ x: tf.tensor4d(xv, c.x), filter: tf.tensor4d(fv, c.filter), strides: c.strides, pad: c.pad, bias: tf.tensor1d(bv), activation }).dataSync() as Float32Array);
        const expected = await onStockCpu(fused);
        await initBackend({ backend: 'wasm' });
        expectClose(fused(), expected, 1e-4, 1e-5);
        const direct = makeFusedConv2DConfig(undefined).kernelFunc;
        tf.tidy(() => {
          const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1, activation } as unknown as tf.NamedAttrMap;
          const out = direct({ inputs: { x: tf.tensor4d(xv, c.x), filter: tf.tensor4d(fv, c.filter), bias: tf.tensor1d(bv) }, attrs, backend: tf.backend() });
          tf.engine().makeTensorFromTensorInfo(out as tf.TensorInfo).dispose();
        });
      }
    }
  });

  it('FusedConv2D gradients: finite differences (linear) and stock cpu\'s analytic ones (ReLU)', async () => {
    const xv = floats(2 * 6 * 5 * 3, 31);
    const wv = floats(3 * 3 * 3 * 5, 32);
    const bv = floats(5, 33);
    const grads = (activation: 'linear' | 'relu'): Float32Array[] =>
      tf.tidy(() => {
        const [x, w, b] = [tf.tensor4d(xv, [2, 6, 5, 3]), tf.tensor4d(wv, [3, 3, 3, 5]), tf.tensor1d(bv)];
        const f = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor): tf.Scalar =>
          tf.sum(tf.tanh(tf.fused.conv2d({ x: xs as tf.Tensor4D, filter: ws as tf.Tensor4D, strides: 2, pad: 'same', bias: bs, activation })));
        if (activation === 'linear') {
          checkGradient((v) => f(v, w, b), x);
          checkGradient((v) => f(x, v, b), w);
          checkGradient((v) => f(x, w, v), b);
        }
        return tf.grads(f)([x, w, b]).map((g) => g.dataSync() as Float32Array);
      });
    const expected = await onStockCpu(() => grads('relu'));
    await initBackend({ backend: 'wasm' });
    grads('linear');
    grads('relu').forEach((g, k) => expectClose(g, expected[k]!, 1e-4, 1e-5));
  });

  for (const [strides, pad] of [[1, 'same'], [2, 'same'], [1, 'valid'], [2, 'valid']] as const) {
    it(`pass finite differences for x and the filter (stride ${strides}, '${pad}')`, async () => {
      await initBackend({ backend: 'wasm' });
      const x = tf.tensor4d(floats(2 * 7 * 5 * 3, 21), [2, 7, 5, 3]);
      const w = tf.tensor4d(floats(3 * 3 * 3 * 5, 22), [3, 3, 3, 5]);
      checkGradient((v) => tf.sum(tf.tanh(tf.conv2d(v as tf.Tensor4D, w, strides, pad))), x);
      checkGradient((v) => tf.sum(tf.tanh(tf.conv2d(x, v as tf.Tensor4D, strides, pad))), w);
      tf.dispose([x, w]);
    });
  }
});
