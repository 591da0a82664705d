import * as tf from '@tensorflow/tfjs-core';
import { HASH_DROPOUT, type HashDropoutAttrs } from '../kernels/hash-dropout';
import { compiledKernelAvailable } from './compiled';

/**
 * A {0, 1} float32 keep-mask of `size` elements from a counter-based hash:
 * element i is kept (probability 1 − rate) when hash(seed, i) ≥ rate·2³². It
 * depends only on (seed, i), with no generator state, and is the same on every
 * backend. native/dropout.c computes the same hash.
 */
export function hashKeepMask(size: number, rate: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  const threshold = Math.floor(rate * 4294967296);
  const s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    let z = (s + Math.imul(i, 0x9e3779b9)) | 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    out[i] = z >= threshold ? 1 : 0;
  }
  return out;
}

tf.registerGradient({
  kernelName: HASH_DROPOUT,
  gradFunc: (dy, _saved, attrs) => ({ x: () => tf.engine().runKernel(HASH_DROPOUT, { x: dy as tf.Tensor }, attrs) as tf.Tensor }),
});

/**
 * Inverted dropout x·mask/(1 − rate) with mask = hashKeepMask(x.size, rate,
 * seed). On wasm one compiled pass each way and no mask tensor; elsewhere the
 * mask is built on the host. Both give the same bits.
 */
export function hashDropout(x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  const compiled = compiledKernelAvailable(HASH_DROPOUT);
  // rate 1 keeps the host path's 0/0: its threshold 2³² does not fit the kernel's uint32.
  if (compiled && x.dtype === 'float32' && rate >= 0 && rate < 1) {
    const attrs: HashDropoutAttrs = { seed: seed >>> 0, threshold: Math.floor(rate * 4294967296), scale: Math.fround(1 / Math.fround(1 - rate)) };
    return tf.engine().runKernel(HASH_DROPOUT, { x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  }
  return tf.tidy(() => tf.mul(x, tf.div(tf.tensor(hashKeepMask(x.size, rate, seed), x.shape, 'float32'), 1 - rate)));
}
