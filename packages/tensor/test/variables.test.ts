import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, variableFrom } from '../src/index';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('variableFrom', () => {
  it('holds the initial values, frees the initial tensor, and leaves nothing once disposed', () => {
    const before = tf.memory().numTensors;
    const initial = tf.tensor2d([[1, 2], [3, 4]]);
    const v = variableFrom(initial, false, 'variables-test');
    expect(initial.isDisposed).toBe(true);
    expect(Array.from(v.dataSync())).toEqual([1, 2, 3, 4]);
    expect(v.trainable).toBe(false);
    expect(v.name).toBe('variables-test');
    expect(tf.memory().numTensors - before).toBe(1);
    // The data survives the initial tensor's disposal: an assignment and a read still work.
    const doubled = tf.mul(v, 2) as tf.Tensor2D;
    v.assign(doubled);
    doubled.dispose();
    expect(Array.from(v.dataSync())).toEqual([2, 4, 6, 8]);
    v.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is trainable by default', () => {
    const v = variableFrom(tf.zeros([3]));
    expect(v.trainable).toBe(true);
    v.dispose();
  });
});
