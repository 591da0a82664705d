import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@metanet/tensor';
import { disposeDataset, syntheticShapes } from '../src/index';
import { useBackend } from './backend';

beforeAll(() => useBackend('wasm'));

// A one-conv-layer CNN: 5×5 stride-2 conv (16 channels) as a matMul over
// im2col patches, ReLU, 2×2 average pool, dense head. The input patches are
// constants, so im2col is done once on the host; this keeps the test fast on
// backends whose conv gradients are slow.
const K = 5;
const OUT = 14;

function im2col(x: Float32Array, n: number): tf.Tensor2D {
  const out = new Float32Array(n * OUT * OUT * K * K);
  let o = 0;
  for (let i = 0; i < n; i++)
    for (let oy = 0; oy < OUT; oy++)
      for (let ox = 0; ox < OUT; ox++)
        for (let ky = 0; ky < K; ky++)
          for (let kx = 0; kx < K; kx++) {
            const y = oy * 2 - 2 + ky;
            const xx = ox * 2 - 2 + kx;
            out[o++] = y >= 0 && y < 28 && xx >= 0 && xx < 28 ? (x[i * 784 + y * 28 + xx] as number) : 0;
          }
  return tf.tensor2d(out, [n * OUT * OUT, K * K]);
}

describe('syntheticShapes is learnable', () => {
  it('a small CNN reaches > 90% test accuracy', async () => {
    const nTrain = 4000;
    const nTest = 600;
    const train = syntheticShapes({ n: nTrain, seed: 1 });
    const test = syntheticShapes({ n: nTest, seed: 2 });
    const pTrain = im2col(train.images.dataSync() as Float32Array, nTrain);
    const pTest = im2col(test.images.dataSync() as Float32Array, nTest);
    const C = 16;
    const w1 = tf.variable(tf.randomNormal([K * K, C], 0, Math.sqrt(2 / (K * K)), 'float32', 1));
    const b1 = tf.variable(tf.zeros([C]));
    const w2 = tf.variable(tf.randomNormal([49 * C, 10], 0, Math.sqrt(1 / (49 * C)), 'float32', 2));
    const b2 = tf.variable(tf.zeros([10]));
    const vars = [w1, b1, w2, b2];
    const forward = (p: tf.Tensor2D, b: number): tf.Tensor2D => {
      const h = tf.relu(tf.add(tf.matMul(p, w1), b1));
      const pooled = tf.mean(tf.reshape(h, [b, 7, 2, 7, 2, C]), [2, 4]);
      return tf.add(tf.matMul(tf.reshape(pooled, [b, 49 * C]), w2), b2) as tf.Tensor2D;
    };
    // Three epochs at 1e-2, then one at 2e-3 to settle: wasm matMul is
    // multi-threaded and not bit-reproducible, so the margin over 90% must not
    // rest on a lucky last step.
    const fast = tf.train.adam(0.01);
    const slow = tf.train.adam(0.002);
    const B = 100;
    for (let epoch = 0; epoch < 4; epoch++) {
      const opt = epoch < 3 ? fast : slow;
      for (let s = 0; s + B <= nTrain; s += B) {
        tf.tidy(() => {
          const p = tf.slice(pTrain, [s * OUT * OUT, 0], [B * OUT * OUT, K * K]);
          const y = tf.oneHot(tf.slice(train.labels, [s], [B]), 10);
          opt.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(p, B)) as tf.Scalar, false, vars);
        });
        // Yield so the test runner's RPC is not starved by a long synchronous loop.
        if ((s / B) % 10 === 0) await new Promise((r) => setImmediate(r));
      }
    }
    const acc = tf.tidy(() => {
      const pred = tf.argMax(forward(pTest, nTest), 1);
      return tf.mean(tf.cast(tf.equal(pred, test.labels), 'float32')).dataSync()[0] as number;
    });
    console.log(`synthetic-shapes: one-conv CNN, 4 epochs on 4000 → test accuracy ${(acc * 100).toFixed(1)}%`);
    expect(acc).toBeGreaterThan(0.9);
    fast.dispose();
    slow.dispose();
    tf.dispose([...vars, pTrain, pTest]);
    disposeDataset(train);
    disposeDataset(test);
  }, 300_000);
});
