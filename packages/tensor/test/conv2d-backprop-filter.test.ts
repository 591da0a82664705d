import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../src/index';
import { makeConv2DBackpropFilterConfig } from '../src/kernels/conv2d-backprop-filter';
import { CONV_CASES, FAST_BACKENDS, checkGradient, expectClose, floats, onStockCpu, type ConvCase } from './helpers';


const CASES = CONV_CASES;

function dyShape(c: ConvCase): number[] {
  return tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad).shape);
}

function filterGrad(c: ConvCase, xv: Float32Array, dyv: Float32Array): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(xv, c.x);
    const dy = tf.tensor4d(dyv, dyShape(c) as [number, number, number, number]);
    return tf.conv2d(x, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad) && (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
      strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: c.filter,
    } as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync() as Float32Array;
  });
}

describe('Conv2DBackpropFilter override', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  for (const backend of FAST_BACKENDS) {
    it(`matches stock cpu on ${backend}`, async () => {
      for (const [i, c] of CASES.entries()) {
        const xv = floats(c.x.reduce((p, d) => p * d, 1), 300 + i);
        const dyv = floats(dyShape(c).reduce((p, d) => p * d, 1), 400 + i);
        const expected = await onStockCpu(() => filterGrad(c, xv, dyv));
        await initBackend({ backend });
        expectClose(filterGrad(c, xv, dyv), expected, 1e-4, 1e-5);
      }
    });

    it(`accumulates batch slices when the column buffer is capped on ${backend}`, async () => {
      const c = CASES[0]!;
      const xv = floats(c.x.reduce((p, d) => p * d, 1), 1);
      const dyv = floats(dyShape(c).reduce((p, d) => p * d, 1), 2);
      const expected = await onStockCpu(() => filterGrad(c, xv, dyv));
      await initBackend({ backend });
      // A cap below one batch item's columns forces one slice per item.
      const kernel = makeConv2DBackpropFilterConfig(backend, 10);
      const got = tf.tidy(() => {
        const x = tf.tensor4d(xv, c.x);
        const dy = tf.tensor4d(dyv, dyShape(c) as [number, number, number, number]);
        const info = kernel.kernelFunc({
          inputs: { x, dy },
          attrs: { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter } as unknown as tf.NamedAttrMap,
          backend: tf.backend(),
        }) as tf.TensorInfo;
        return tf.engine().makeTensorFromTensorInfo(info).dataSync();
      });
      expectClose(got, expected, 1e-4, 1e-5);
    });

    it(`trains through conv2d: filter gradient passes finite differences on ${backend}`, async () => {
      await initBackend({ backend });
      const x = tf.tensor4d(floats(2 * 5 * 5 * 2, 11), [2, 5, 5, 2]);
      const w = tf.tensor4d(floats(3 * 3 * 2 * 3, 12), [3, 3, 2, 3]);
      checkGradient((v) => tf.sum(tf.tanh(tf.conv2d(x, v as tf.Tensor4D, 2, 'same'))), w);
      tf.dispose([x, w]);
    });
  }

  it('rejects NCHW data with a typed error', async () => {
    await initBackend({ backend: 'wasm' });
    const x = tf.zeros([1, 2, 4, 4]);
    const dy = tf.zeros([1, 2, 4, 4]);
    expect(() =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [1, 1, 2, 2] } as unknown as tf.NamedAttrMap),
    ).toThrow(/NHWC/);
  });
});
