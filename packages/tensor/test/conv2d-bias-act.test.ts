import { describe, expect, it } from 'vitest';
import { tf, initBackend, conv2dBiasAct, InvalidTensorArgumentError, type Conv2DPadding } from '../src/index';
import { checkGradient, expectClose, floats, onStockCpu } from './helpers';

interface Case {
  x: [number, number, number, number];
  /** kh, kw, out channels */
  f: [number, number, number];
  stride: [number, number];
  pad: Conv2DPadding;
}

// Strides 1 and 2, 'same', 'valid' and explicit pads, odd sizes, batch 1, channel
// counts off the 4-lane width (1 and 3 input channels go to XNNPACK, 5 and 6 to
// conv.c), and more rows (N·OH·OW) than one 256-row block of the bias sums.
const CASES: Case[] = [
  { x: [1, 5, 5, 3], f: [3, 3, 5], stride: [1, 1], pad: 'same' },
  { x: [2, 7, 9, 6], f: [3, 3, 7], stride: [2, 2], pad: 'valid' },
  { x: [3, 9, 7, 5], f: [3, 2, 6], stride: [2, 1], pad: [[0, 0], [1, 1], [1, 1], [0, 0]] },
  { x: [4, 14, 14, 1], f: [3, 3, 16], stride: [2, 2], pad: [[0, 0], [1, 1], [1, 1], [0, 0]] },
  { x: [1, 11, 11, 8], f: [1, 1, 13], stride: [1, 1], pad: 'valid' },
];

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** The op's output and the gradients of a weighted sum of it for x, filter and bias. */
function run(c: Case, activation: 'relu' | 'linear', seed: number, reference: boolean): Float32Array[] {
  const fShape = [c.f[0], c.f[1], c.x[3], c.f[2]];
  return tf.tidy(() => {
    const x = tf.tensor4d(floats(size(c.x), seed), c.x);
    const f = tf.tensor4d(floats(size(fShape), seed + 1), fShape as [number, number, number, number]);
    const b = tf.tensor1d(floats(c.f[2], seed + 2));
    const op = (xs: tf.Tensor, fs: tf.Tensor, bs: tf.Tensor): tf.Tensor4D => {
      if (!reference) return conv2dBiasAct(xs as tf.Tensor4D, fs as tf.Tensor4D, bs as tf.Tensor1D, c.stride, c.pad, activation);
      const z = tf.add(tf.conv2d(xs as tf.Tensor4D, fs as tf.Tensor4D, c.stride, c.pad), bs);
      return (activation === 'relu' ? tf.relu(z) : z) as tf.Tensor4D;
    };
    const y = op(x, f, b);
    const w = tf.tensor(floats(y.size, seed + 3), y.shape);
    const grads = tf.grads((xs: tf.Tensor, fs: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.mul(op(xs, fs, bs), w)))([x, f, b]);
    return [y, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe('conv2dBiasAct (MetanetConv2DBiasAct and MetanetBiasReluGrad on wasm)', () => {
  it('matches conv2d + add + relu on stock cpu: output and the x, filter and bias gradients', async () => {
    for (const activation of ['relu', 'linear'] as const) {
      for (const [i, c] of CASES.entries()) {
        const expected = await onStockCpu(() => run(c, activation, 10 * i, true));
        await initBackend({ backend: 'wasm' });
        const got = run(c, activation, 10 * i, false);
        got.forEach((v, k) => expectClose(v, expected[k]!, 1e-4, 1e-4));
      }
    }
  });

  it('falls back to tfjs ops on cpu with the same results', async () => {
    const c = CASES[1]!;
    const expected = await onStockCpu(() => run(c, 'relu', 5, true));
    await initBackend({ backend: 'cpu' });
    run(c, 'relu', 5, false).forEach((v, k) => expectClose(v, expected[k]!, 1e-5, 1e-5));
  });

  it('runs one kernel forward and one mask-and-bias pass backward, and skips the unneeded input gradient', async () => {
    await initBackend({ backend: 'wasm' });
    const x = tf.tensor4d(floats(2 * 6 * 6 * 5, 1), [2, 6, 6, 5]);
    const f = tf.tensor4d(floats(3 * 3 * 5 * 4, 2), [3, 3, 5, 4]);
    const b = tf.tensor1d(floats(4, 3));
    const loss = (fs: tf.Tensor, bs: tf.Tensor): tf.Scalar => tf.sum(conv2dBiasAct(x, fs as tf.Tensor4D, bs as tf.Tensor1D, [1, 1], 'same', 'relu'));
    const prof = await tf.profile(() => tf.tidy(() => tf.grads(loss)([f, b])));
    expect(prof.kernelNames).toContain('MetanetConv2DBiasAct');
    expect(prof.kernelNames).toContain('MetanetBiasReluGrad');
    expect(prof.kernelNames).toContain('Conv2DBackpropFilter');
    // x is a constant here: no input gradient is formed.
    expect(prof.kernelNames).not.toContain('Conv2DBackpropInput');
    expect(prof.kernelNames).not.toContain('Relu');
    const before = tf.memory().numTensors;
    tf.dispose(tf.tidy(() => tf.grads(loss)([f, b])));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, f, b]);
  });

  it('is deterministic: the same inputs give the same bits', async () => {
    await initBackend({ backend: 'wasm' });
    const a = run(CASES[3]!, 'relu', 7, false);
    const b = run(CASES[3]!, 'relu', 7, false);
    a.forEach((v, k) => expect(Buffer.from(v.buffer).equals(Buffer.from(b[k]!.buffer))).toBe(true));
  });

  it('passes finite differences for x, filter and bias on wasm', async () => {
    await initBackend({ backend: 'wasm' });
    for (const c of [CASES[0]!, CASES[2]!]) {
      const fShape = [c.f[0], c.f[1], c.x[3], c.f[2]] as [number, number, number, number];
      const x = tf.tensor4d(floats(size(c.x), 3), c.x);
      const f = tf.tensor4d(floats(size(fShape), 4), fShape);
      const b = tf.tensor1d(floats(c.f[2], 5));
      // tanh after the op keeps the loss smooth in the weights away from ReLU's kink.
      const loss = (xs: tf.Tensor, fs: tf.Tensor, bs: tf.Tensor): tf.Scalar =>
        tf.sum(tf.tanh(conv2dBiasAct(xs as tf.Tensor4D, fs as tf.Tensor4D, bs as tf.Tensor1D, c.stride, c.pad, 'relu')));
      checkGradient((v) => loss(v, f, b), x, { eps: 1e-3, rtol: 3e-2, atol: 3e-2 });
      checkGradient((v) => loss(x, v, b), f, { eps: 1e-3, rtol: 3e-2, atol: 3e-2 });
      checkGradient((v) => loss(x, f, v), b, { eps: 1e-3, rtol: 3e-2, atol: 3e-2 });
      tf.dispose([x, f, b]);
    }
  });

  it('rejects a bias that is not one value per output channel', async () => {
    await initBackend({ backend: 'wasm' });
    const x = tf.zeros([1, 3, 3, 2]) as tf.Tensor4D;
    const f = tf.zeros([3, 3, 2, 4]) as tf.Tensor4D;
    expect(() => conv2dBiasAct(x, f, tf.zeros([3]) as tf.Tensor1D, [1, 1], 'same', 'relu')).toThrow(InvalidTensorArgumentError);
    tf.dispose([x, f]);
  });
});
