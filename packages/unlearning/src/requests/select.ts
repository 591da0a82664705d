/**
 * Deterministic index selection for requests, on host label arrays (no
 * tensors). A selection is sorted ascending, so subsets keep dataset order.
 */
import { createRng, shuffleInPlace } from '@metanet/tensor';
import { InvalidRequestError } from '../errors';

/** Indices whose label is in `classes`, and the rest. */
export function splitByClasses(labels: Int32Array, classes: readonly number[]): { forget: Int32Array; retain: Int32Array } {
  const set = new Set(classes);
  const f: number[] = [];
  const r: number[] = [];
  labels.forEach((y, i) => (set.has(y) ? f : r).push(i));
  return { forget: Int32Array.from(f), retain: Int32Array.from(r) };
}

/** `k` of `candidates` drawn without replacement with `createRng(seed)` and tensor's `shuffleInPlace`, sorted. */
export function sampleIndices(candidates: readonly number[] | Int32Array, k: number, seed: number): Int32Array {
  if (!Number.isInteger(k) || k < 0 || k > candidates.length) {
    throw new InvalidRequestError(`cannot draw ${k} samples from ${candidates.length}; pick a size in [0, ${candidates.length}]`);
  }
  const pool = Int32Array.from(candidates);
  // The one shuffle, drawing only the last k slots: a uniform k-sample for k draws.
  shuffleInPlace(pool, createRng(seed), k);
  return pool.slice(pool.length - k).sort();
}

/** Every index in [0, n) not in the sorted `chosen`. */
export function complement(n: number, chosen: Int32Array): Int32Array {
  const mark = new Uint8Array(n);
  for (const i of chosen) mark[i] = 1;
  const out = new Int32Array(n - chosen.length);
  let k = 0;
  for (let i = 0; i < n; i++) if (mark[i] === 0) out[k++] = i;
  return out;
}

/** Mixes the request kind into the seed, so two kinds with one seed draw independently. */
export function seedFor(seed: number, salt: number): number {
  return (Math.imul(seed | 0, 0x9e3779b1) ^ salt) | 0;
}
