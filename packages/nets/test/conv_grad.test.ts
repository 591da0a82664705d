import { tf } from '@metanet/tensor';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2dFastGrad, fastGradApplies } from '../src/forward/conv_grad';
import { setupBackend } from './support/backend';

beforeAll(async () => {
  await setupBackend();
});

describe('conv2dFastGrad (input gradient as a forward conv of the dilated dy)', () => {
  it('matches tf.conv2d in value and in both gradients (property over shapes and paddings)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }), fc.integer({ min: 4, max: 7 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(1, 2, 3), fc.constantFrom(1, 3), fc.nat(2), fc.integer({ min: 0, max: 1e6 }), fc.constantFrom(1, 2, 3), fc.constantFrom(1, 2),
        (n, h, cin, cout, kh, kw, p, seed, sh, sw) => {
          if (!fastGradApplies(kh, kw, [sh, sw], p)) return;
          const oh = Math.floor((h + 2 * p - kh) / sh) + 1;
          const ow = Math.floor((h + 1 + 2 * p - kw) / sw) + 1;
          const x = tf.randomNormal([n, h, h + 1, cin], 0, 1, 'float32', seed) as tf.Tensor4D;
          const f = tf.randomNormal([kh, kw, cin, cout], 0, 1, 'float32', seed + 1) as tf.Tensor4D;
          const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [p, p], [p, p], [0, 0]];
          const w = tf.randomNormal([n, oh, ow, cout], 0, 1, 'float32', seed + 2);
          const loss = (conv: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor) => (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), w));
          const ours = tf.grads(loss((a, b) => conv2dFastGrad(a, b, [sh, sw], p)))([x, f]);
          const ref = tf.grads(loss((a, b) => tf.conv2d(a, b, [sh, sw], pad)))([x, f]);
          const diff = (a: tf.Tensor, b: tf.Tensor): number => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number;
          expect(diff(conv2dFastGrad(x, f, [sh, sw], p), tf.conv2d(x, f, [sh, sw], pad))).toBeLessThan(1e-4);
          expect(diff(ours[0]!, ref[0]!)).toBeLessThan(1e-4);
          expect(diff(ours[1]!, ref[1]!)).toBeLessThan(1e-4);
        },
      ),
      { numRuns: 40, seed: 3 },
    );
  });

  it('applies when p ≤ k − 1', () => {
    expect(fastGradApplies(3, 3, [1, 1], 1)).toBe(true);
    expect(fastGradApplies(3, 3, [2, 2], 1)).toBe(true);
    expect(fastGradApplies(1, 1, [1, 1], 1)).toBe(false);
  });
});
