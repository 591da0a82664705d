/**
 * Dropout masks from a counter-based hash: element i of the mask depends only
 * on (seed, layer, i). No generator state to checkpoint, so a resumed run draws
 * exactly the masks an uninterrupted one would, and every backend sees the same
 * mask (wasm computes it inside its dropout kernel, the others on the host).
 */
import { hashKeepMask } from '@metanet/tensor';

/** Mixes several integers into one 32-bit seed (murmur3 finaliser per word). */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    let k = (p >>> 0) ^ Math.floor(p / 2 ** 32);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A {0, 1} float32 keep-mask of `size` elements, each kept with probability 1 - rate (tensor's hashKeepMask, which forward's dropout applies). */
export function dropoutMask(size: number, rate: number, seed: number): Float32Array {
  return hashKeepMask(size, rate, seed);
}
