import { describe, expect, it } from 'vitest';
import { tf, initBackend, gatherRows, segmentSum, segmentMean, segmentMax, randomNormal, createRng } from '../src/index';
import { FAST_BACKENDS } from './helpers';

/** A small GN-style training step with every op of this package in the graph. */
function makeStep(seed: number) {
  const rng = createRng(seed);
  const N = 12;
  const E = 40;
  const x = randomNormal([N, 8], rng) as tf.Tensor2D;
  const src = tf.tensor1d(Array.from({ length: E }, () => rng.int(N)), 'int32');
  const dst = tf.tensor1d(Array.from({ length: E }, () => rng.int(N)), 'int32');
  const w = tf.variable(randomNormal([8, 8], rng, 0, 0.3));
  const w2 = tf.variable(randomNormal([24, 8], rng, 0, 0.3));
  const opt = tf.train.adam(0.01);
  const step = (): number => {
    const loss = opt.minimize(() => {
      const p = tf.matMul(x, w) as tf.Tensor2D;
      const msg = tf.relu(tf.add(gatherRows(p, src), gatherRows(p, dst))) as tf.Tensor2D;
      const agg = tf.concat([segmentSum(msg, dst, N), segmentMean(msg, dst, N), segmentMax(msg, dst, N)], 1);
      return tf.mean(tf.square(tf.matMul(agg, w2))) as tf.Scalar;
    }, true)!;
    const v = loss.dataSync()[0]!;
    loss.dispose();
    return v;
  };
  return { step, dispose: () => { tf.dispose([x, src, dst, w, w2]); opt.dispose(); } };
}

describe('tensor bookkeeping', () => {
  for (const backend of FAST_BACKENDS) {
    it(`a training step leaks no tensors and no backend buffers on ${backend}`, async () => {
      await initBackend({ backend });
      const { step, dispose } = makeStep(1);
      const first = step();
      step();
      const tensors = tf.memory().numTensors;
      const dataIds = tf.backend().numDataIds();
      let last = first;
      for (let i = 0; i < 5; i++) last = step();
      expect(tf.memory().numTensors).toBe(tensors);
      expect(tf.backend().numDataIds()).toBe(dataIds);
      // Adam really trains through the custom gradients.
      expect(last).toBeLessThan(first);
      dispose();
    });
  }

  it('the same seed trains to the same loss (determinism on one backend)', async () => {
    await initBackend({ backend: 'wasm' });
    const run = (): number[] => {
      const { step, dispose } = makeStep(4);
      const losses = [step(), step(), step()];
      dispose();
      return losses;
    };
    expect(run()).toEqual(run());
  });
});
