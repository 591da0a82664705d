/**
 * Dropout masks from a counter-based hash: element i of the mask depends only
 * on (seed, layer, i). No generator state to checkpoint, so a resumed run draws
 * exactly the masks an uninterrupted one would, and it runs on the host, so every
 * backend sees the same mask.
 */

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

/** A {0, 1} float32 keep-mask of `size` elements, each kept with probability 1 - rate. */
export function dropoutMask(size: number, rate: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  // Drop when the 32-bit hash falls below rate·2^32.
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
