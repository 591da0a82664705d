import { initBackend, randomNormal, tf } from '@metanet/tensor';
import { architecture, type Layer, type NetSpec } from '@metanet/spec';
import { describe, expect, it } from 'vitest';
import { forward, forwardWithBuffers, initBuffers, initParams } from '../src/index';

/**
 * The same net with a rate-0 dropout after every conv2d: dropout has no
 * parameters or buffers (the param and buffer lists keep their order) and is the
 * identity, but it breaks every fused run, so this is the layer-by-layer path.
 */
function unfused(spec: NetSpec): NetSpec {
  const layers: Layer[] = spec.layers.flatMap((l): Layer[] => (l.type === 'conv2d' ? [l, { type: 'dropout', rate: 0 }] : [l]));
  return { ...spec, layers };
}

const close = (a: tf.Tensor, b: tf.Tensor, tol: number): void => {
  const [x, y] = [a.dataSync(), b.dataSync()];
  expect(x.length).toBe(y.length);
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / (1 + Math.abs(y[i]!)));
  expect(worst).toBeLessThan(tol);
};

/** BN running statistics away from (0, 1), so folding them into the conv is exercised. */
function buffersOf(spec: NetSpec): tf.Tensor[] {
  return initBuffers(spec).map((b, i) => tf.tidy(() => tf.add(tf.mul(b, 1.7), tf.abs(randomNormal(b.shape, 40 + i, 0, 0.3)))));
}

describe('fused layer runs (conv → ReLU; conv → batch norm → ReLU in eval mode)', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    for (const arch of ['small-cnn', 'homework-cnn'] as const) {
      it(`${arch} on ${backend}: the same outputs and parameter gradients as layer by layer, in train and eval mode`, async () => {
        await initBackend({ backend });
        // Dropout 0: the unfused net's extra layers shift the layer indices that seed dropout masks.
        const spec = architecture(arch, { dropout: 0 });
        const params = initParams(spec, { seed: 3 });
        const buffers = buffersOf(spec);
        const x = randomNormal([3, 28, 28, 1], 5);
        for (const training of [false, true]) {
          // fuse: true, since under the tape forward runs layer by layer unless told otherwise.
          const run = (s: NetSpec) => (...ps: tf.Tensor[]) => tf.sum(tf.square(forward(s, ps, x, { training, buffers, seed: 9, fuse: true }))) as tf.Scalar;
          tf.tidy(() => {
            close(forward(spec, params, x, { training, buffers, seed: 9, fuse: true }), forward(unfused(spec), params, x, { training, buffers, seed: 9 }), 1e-4);
            const a = tf.grads(run(spec))(params);
            const b = tf.grads(run(unfused(spec)))(params);
            a.forEach((g, k) => close(g, b[k]!, 1e-3));
          });
        }
        tf.dispose([...params, ...buffers, x]);
      });
    }
  }

  it('eval mode frees each layer input once used: nothing leaks and the caller keeps x', async () => {
    await initBackend({ backend: 'wasm' });
    const spec = architecture('homework-cnn');
    const params = initParams(spec, { seed: 1 });
    const buffers = buffersOf(spec);
    const x = randomNormal([2, 28, 28, 1], 2);
    const before = tf.memory().numTensors;
    const y = forward(spec, params, x, { buffers });
    // Only the output is new: every intermediate was freed during the pass.
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(x.isDisposed).toBe(false);
    expect(forwardWithBuffers(spec, params, x, { buffers }).buffers).toEqual(buffers);
    tf.dispose([y, ...params, ...buffers, x]);
  });
});
