import { afterEach, describe, expect, it } from 'vitest';
import { tf, initBackend, backendInfo, batchNormTrain, conv2dBiasAct, fusedOptimizerUpdate, gatherSumAct, hashDropout, fastTanh, fastGelu } from '../src/index';
import { KERNEL_OVERRIDES, overridesEnabled, registeredOverrides, setOverridesEnabled } from '../src/kernels/index';
import { OPTIMIZER_UPDATE } from '../src/kernels/optimizer-update';
import { BATCH_NORM_TRAIN } from '../src/kernels/batch-norm-train';
import { BATCH_NORM_TRAIN_GRAD } from '../src/kernels/batch-norm-train-grad';
import { HASH_DROPOUT } from '../src/kernels/hash-dropout';
import { FAST_GELU, FAST_GELU_GRAD, FAST_TANH, FAST_TANH_GRAD } from '../src/kernels/activation';
import { CONV2D_BIAS_ACT } from '../src/kernels/conv2d-bias-act';
import { BIAS_RELU_GRAD } from '../src/kernels/bias-relu-grad';

afterEach(() => setOverridesEnabled(true));

describe('kernel registration', () => {
  it('registers every listed override on its backends', async () => {
    await initBackend({ backend: 'wasm' });
    const expected = KERNEL_OVERRIDES.flatMap((s) => s.backends.map((b) => `${s.kernelName}@${b}`)).sort();
    expect(registeredOverrides()).toEqual(expected);
    for (const key of expected) {
      const [name, backend] = key.split('@') as [string, string];
      expect(tf.getKernel(name, backend)).toBeDefined();
    }
  });

  it('can switch back to the stock kernels and again to ours', async () => {
    await initBackend({ backend: 'wasm' });
    const x = tf.ones([3, 2]);
    const ids = tf.tensor1d([0, 1, 1], 'int32');
    setOverridesEnabled(false);
    expect(overridesEnabled()).toBe(false);
    expect(backendInfo().overrides).toEqual([]);
    // Stock wasm has no UnsortedSegmentSum: this is what the overrides fix.
    expect(() => tf.unsortedSegmentSum(x, ids, 2)).toThrow(/not registered/);
    setOverridesEnabled(true);
    expect(tf.unsortedSegmentSum(x, ids, 2).arraySync()).toEqual([[1, 1], [2, 2]]);
    tf.dispose([x, ids]);
  });

  it('re-initialising does not re-wrap the overrides', async () => {
    await initBackend({ backend: 'wasm' });
    const before = tf.getKernel('GatherV2', 'wasm');
    await initBackend({ backend: 'cpu' });
    await initBackend({ backend: 'wasm' });
    expect(tf.getKernel('GatherV2', 'wasm')).toBe(before);
  });
});

/** Deterministic test values (no RNG needed): a smooth pattern with both signs. */
const vals = (n: number, k = 1): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + k) + 0.1 * k);

/** Adam step 1 by tfjs ops: the reference for the fused optimizer kernel. */
function adamStep(p: tf.Tensor, g: tf.Tensor, lr: number): tf.Tensor {
  const m = tf.mul(g, 0.1);
  const v = tf.mul(tf.square(g), 0.001);
  return tf.sub(p, tf.mul(lr, tf.div(tf.div(m, 0.1), tf.add(tf.sqrt(tf.div(v, 0.001)), 1e-8))));
}

/**
 * One op per override that dispatches to it (gradients through tf.grad). Run
 * with the overrides on, it exercises metanet's kernel; run on cpu with them
 * off, the stock tfjs kernels or the ops' own tf fallbacks: the reference.
 */
const PROBES: Record<string, () => tf.Tensor[]> = {
  GatherV2: () => [tf.gather(tf.tensor2d(vals(12), [4, 3]), tf.tensor1d([3, 0, 0, 2], 'int32'))],
  UnsortedSegmentSum: () => [tf.unsortedSegmentSum(tf.tensor2d(vals(12), [4, 3]), tf.tensor1d([1, 0, 1, 2], 'int32'), 3)],
  BatchMatMul: () => [tf.matMul(tf.tensor2d(vals(15), [5, 3]), tf.tensor2d(vals(12, 2), [4, 3]), false, true)],
  _FusedMatMul: () => [tf.fused.matMul({ a: tf.tensor2d(vals(15), [5, 3]), b: tf.tensor2d(vals(12, 2), [3, 4]), bias: tf.tensor1d(vals(4, 3)), activation: 'relu' })],
  Conv2D: () => [tf.conv2d(tf.tensor4d(vals(2 * 5 * 5 * 3), [2, 5, 5, 3]), tf.tensor4d(vals(3 * 3 * 3 * 4, 2), [3, 3, 3, 4]), 1, 'same')],
  FusedConv2D: () => [tf.fused.conv2d({ x: tf.tensor4d(vals(2 * 5 * 5 * 3), [2, 5, 5, 3]), filter: tf.tensor4d(vals(3 * 3 * 3 * 4, 2), [3, 3, 3, 4]), strides: 1, pad: 'same', bias: tf.tensor1d(vals(4, 3)), activation: 'relu' })],
  Conv2DBackpropFilter: () => {
    const x = tf.tensor4d(vals(2 * 6 * 6 * 3), [2, 6, 6, 3]);
    return [tf.grad((f: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, f as tf.Tensor4D, 2, 'same'))))(tf.tensor4d(vals(3 * 3 * 3 * 4, 2), [3, 3, 3, 4]))];
  },
  Conv2DBackpropInput: () => {
    const f = tf.tensor4d(vals(3 * 3 * 3 * 4, 2), [3, 3, 3, 4]);
    return [tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, f, 1, 'same'))))(tf.tensor4d(vals(2 * 5 * 5 * 3), [2, 5, 5, 3]))];
  },
  AvgPool: () => [tf.avgPool(tf.tensor4d(vals(2 * 4 * 4 * 3), [2, 4, 4, 3]), 2, 2, 'valid')],
  AvgPoolGrad: () => [tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid'))))(tf.tensor4d(vals(2 * 4 * 4 * 3), [2, 4, 4, 3]))],
  Identity: () => [tf.clone(tf.tensor2d(vals(6), [2, 3]))],
  Sum: () => [tf.sum(tf.tensor2d(vals(24), [4, 6]), 1), tf.sum(tf.tensor2d(vals(24), [4, 6]), 0)],
  GatherSumAct: () => [gatherSumAct({ terms: [{ table: tf.tensor2d(vals(8), [4, 2]), index: tf.tensor1d([0, 3, 3, 1, 2], 'int32') }], base: tf.tensor2d(vals(10, 2), [5, 2]), numRows: 5, activation: 'relu' })],
  GatherSumActGrad: () => {
    const index = tf.tensor1d([0, 3, 3, 1, 2], 'int32');
    return [tf.grad((t: tf.Tensor) => tf.sum(tf.square(gatherSumAct({ terms: [{ table: t as tf.Tensor2D, index }], numRows: 5, activation: 'leaky_relu' }))))(tf.tensor2d(vals(8), [4, 2]))];
  },
  [OPTIMIZER_UPDATE]: () => {
    const p = tf.tensor1d(vals(6));
    const g = tf.tensor1d(vals(6, 2));
    const r = fusedOptimizerUpdate({ kind: 'adam', params: [p], grads: [g], slots: [[tf.zerosLike(p), tf.zerosLike(p)]], lr: 0.01, weightDecay: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, momentum: 0, step: 1 });
    return [r ? r.params[0]! : adamStep(p, g, 0.01)];
  },
  [BATCH_NORM_TRAIN]: () => {
    const r = batchNormTrain(tf.tensor4d(vals(2 * 3 * 3 * 4), [2, 3, 3, 4]), tf.tensor1d(vals(4, 2)), tf.tensor1d(vals(4, 3)), 1e-5);
    return [r.y, r.mean, r.variance];
  },
  [BATCH_NORM_TRAIN_GRAD]: () => {
    const x = tf.tensor4d(vals(2 * 3 * 3 * 4), [2, 3, 3, 4]);
    const offset = tf.tensor1d(vals(4, 3));
    const w = tf.tensor4d(vals(2 * 3 * 3 * 4, 5), [2, 3, 3, 4]);
    return tf.grads((xx: tf.Tensor, s: tf.Tensor) => tf.sum(tf.mul(batchNormTrain(xx, s, offset, 1e-5).y, w)))([x, tf.tensor1d(vals(4, 2))]);
  },
  [HASH_DROPOUT]: () => [hashDropout(tf.tensor2d(vals(40), [5, 8]), 0.25, 7)],
  [FAST_TANH]: () => [fastTanh(tf.tensor2d(vals(40).map((v) => 6 * v), [5, 8]))],
  [FAST_GELU]: () => [fastGelu(tf.tensor2d(vals(40).map((v) => 4 * v), [5, 8]))],
  [FAST_GELU_GRAD]: () => [tf.grad((x: tf.Tensor) => tf.sum(tf.mul(fastGelu(x), tf.tensor2d(vals(40, 2), [5, 8]))))(tf.tensor2d(vals(40).map((v) => 4 * v), [5, 8]))],
  [FAST_TANH_GRAD]: () => [tf.grad((x: tf.Tensor) => tf.sum(tf.mul(fastTanh(x), tf.tensor2d(vals(40, 2), [5, 8]))))(tf.tensor2d(vals(40).map((v) => 6 * v), [5, 8]))],
  [CONV2D_BIAS_ACT]: () => [conv2dBiasAct(tf.tensor4d(vals(2 * 5 * 5 * 4), [2, 5, 5, 4]), tf.tensor4d(vals(3 * 3 * 4 * 3, 2), [3, 3, 4, 3]), tf.tensor1d(vals(3, 3)), [1, 1], 'same', 'relu')],
  [BIAS_RELU_GRAD]: () => {
    const x = tf.tensor4d(vals(2 * 5 * 5 * 4), [2, 5, 5, 4]);
    const w = tf.tensor4d(vals(2 * 3 * 3 * 3, 5), [2, 3, 3, 3]);
    const loss = (f: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.mul(conv2dBiasAct(x, f as tf.Tensor4D, b as tf.Tensor1D, [2, 2], 'same', 'relu'), w));
    return tf.grads(loss)([tf.tensor4d(vals(3 * 3 * 4 * 3, 2), [3, 3, 4, 3]), tf.tensor1d(vals(3, 3))]);
  },
};

/** Runs `probe` on `backend`, counting calls of the kernel registered as `kernelName@backend` while it runs. */
function runCounting(kernelName: string, backend: string, probe: () => tf.Tensor[]): { values: number[][]; calls: number } {
  const registered = tf.getKernel(kernelName, backend)!;
  let calls = 0;
  tf.unregisterKernel(kernelName, backend);
  tf.registerKernel({ ...registered, kernelFunc: (args) => (calls++, registered.kernelFunc(args)) });
  try {
    const values = tf.tidy(() => probe()).map((t) => Array.from(t.dataSync()));
    return { values, calls };
  } finally {
    tf.unregisterKernel(kernelName, backend);
    tf.registerKernel(registered);
  }
}

describe('each kernel override', () => {
  it('has a probe, so none goes untested', () => {
    expect(Object.keys(PROBES).sort()).toEqual([...new Set(KERNEL_OVERRIDES.map((s) => s.kernelName))].sort());
  });

  for (const spec of KERNEL_OVERRIDES) {
    for (const backend of spec.backends) {
      it(`${spec.kernelName}@${backend} replaces the stock kernel, runs for its op, and matches the stock cpu result`, async () => {
        await initBackend({ backend: backend as 'wasm' | 'cpu' });
        const probe = PROBES[spec.kernelName]!;
        const ours = tf.getKernel(spec.kernelName, backend)!;
        const mine = runCounting(spec.kernelName, backend, probe);
        expect(mine.calls, 'the probe dispatches to this kernel').toBeGreaterThan(0);
        setOverridesEnabled(false);
        // Off: the stock kernel (a different function) or none at all.
        expect(tf.getKernel(spec.kernelName, backend)?.kernelFunc).not.toBe(ours.kernelFunc);
        await tf.setBackend('cpu');
        const reference = tf.tidy(() => probe()).map((t) => Array.from(t.dataSync()));
        setOverridesEnabled(true);
        expect(mine.values.map((v) => v.length)).toEqual(reference.map((v) => v.length));
        mine.values.forEach((v, k) => v.forEach((x, i) => expect(Math.abs(x - reference[k]![i]!), `${spec.kernelName} output ${k}[${i}]`).toBeLessThan(1e-4 * Math.max(1, Math.abs(reference[k]![i]!)))));
        await initBackend({ backend: 'wasm' });
      });
    }
  }
});

