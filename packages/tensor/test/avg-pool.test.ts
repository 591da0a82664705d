import { describe, expect, it } from 'vitest';
import { tf, initBackend } from '../src/index';
import { makeAvgPoolConfig } from '../src/kernels/avg-pool';
import { makeAvgPoolGradConfig } from '../src/kernels/avg-pool-grad';
import { checkGradient, expectClose, floats, onStockCpu } from './helpers';

interface PoolCase { x: [number, number, number, number]; size: number | [number, number]; strides: number | [number, number]; pad: 'valid' | 'same' }

// Odd sizes (a row/column left over), batch 1, channel counts off 4, overlapping
// windows (stride < size), and a padded case, which goes to the stock kernel.
const CASES: PoolCase[] = [
  { x: [2, 8, 8, 4], size: 2, strides: 2, pad: 'valid' },
  { x: [1, 7, 9, 3], size: 2, strides: 2, pad: 'valid' },
  { x: [2, 9, 7, 5], size: 3, strides: 1, pad: 'valid' },
  { x: [3, 10, 11, 13], size: [3, 2], strides: [2, 3], pad: 'valid' },
  { x: [1, 5, 5, 1], size: 5, strides: 5, pad: 'valid' },
  { x: [2, 7, 7, 6], size: 3, strides: 2, pad: 'same' },
];

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

function run(c: PoolCase, seed: number): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor4d(floats(size(c.x), seed), c.x);
    const y = tf.avgPool(x, c.size, c.strides, c.pad);
    const w = tf.tensor(floats(y.size, seed + 1), y.shape);
    const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(v as tf.Tensor4D, c.size, c.strides, c.pad), w)))(x);
    return [y.dataSync() as Float32Array, dx.dataSync() as Float32Array];
  });
}

describe('pool.c kernels (AvgPool, AvgPoolGrad on wasm)', () => {
  it('match stock cpu, forward and gradient', async () => {
    for (const [i, c] of CASES.entries()) {
      const expected = await onStockCpu(() => run(c, 20 * i));
      await initBackend({ backend: 'wasm' });
      run(c, 20 * i).forEach((v, k) => expectClose(v, expected[k]!, 1e-5, 1e-6));
    }
  });

  it('take the compiled route for every unpadded case', async () => {
    await initBackend({ backend: 'wasm' });
    const fwd = makeAvgPoolConfig(undefined).kernelFunc;
    const grad = makeAvgPoolGradConfig(undefined).kernelFunc;
    for (const c of CASES.filter((k) => k.pad === 'valid')) {
      tf.tidy(() => {
        const x = tf.zeros(c.x);
        const attrs = { filterSize: c.size, strides: c.strides, pad: c.pad } as unknown as tf.NamedAttrMap;
        // With no stock kernel to fall back on, a refused shape would throw here.
        const y = tf.engine().makeTensorFromTensorInfo(fwd({ inputs: { x }, attrs, backend: tf.backend() }) as tf.TensorInfo);
        tf.engine().makeTensorFromTensorInfo(grad({ inputs: { dy: y, input: x }, attrs, backend: tf.backend() }) as tf.TensorInfo);
      });
    }
    expect(true).toBe(true);
  });

  it('pass finite differences (stride 2 and overlapping stride 1)', async () => {
    await initBackend({ backend: 'wasm' });
    const x = tf.tensor4d(floats(2 * 7 * 6 * 3, 9), [2, 7, 6, 3]);
    checkGradient((v) => tf.sum(tf.tanh(tf.avgPool(v as tf.Tensor4D, 2, 2, 'valid'))), x);
    checkGradient((v) => tf.sum(tf.tanh(tf.avgPool(v as tf.Tensor4D, 3, 1, 'valid'))), x);
    x.dispose();
  });
});
