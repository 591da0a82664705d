/**
 * Deterministic index selection for requests, on host label arrays (no
 * tensors). A selection is sorted ascending, so subsets keep dataset order.
 */
import { createRng } from '@metanet/tensor';
import { InvalidRequestError } from '../errors';

/** Indices whose label is in `classes`, and the rest. */
export function splitByClasses(labels: Int32Array, classes: readonly number[]): { forget: Int32Array; retain: Int32Array } {
  const set = new Set(classes);
  const f: number[] = [];
  const r: number[] = [];
  labels.forEach((y, i) => (set.has(y) ? f : r).push(i));
  return { forget: Int32Array.from(f), retain: Int32Array.from(r) };
}

/** `k` of `candidates` drawn without replacement with `createRng(seed)`, sorted. */
export function sampleIndices(candidates: readonly number[] | Int32Array, k: number, seed: number): Int32Array {
  if (!Number.isInteger(k) || k < 0 || k > candidates.length) {
    throw new InvalidRequestError(`cannot draw ${k} samples from ${candidates.length}; pick a size in [0, ${candidates.length}]`);
  }
  const pool = Array.from(candidates);
  const rng = createRng(seed);
  // Partial Fisher–Yates: only the first k positions are needed.
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(pool.length - i);
    const t = pool[i] as number;
    pool[i] = pool[j] as number;
    pool[j] = t;
  }
  return Int32Array.from(pool.slice(0, k)).sort();
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
