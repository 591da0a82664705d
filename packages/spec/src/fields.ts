/**
 * Readers of untrusted spec fields. Each returns the value or throws
 * InvalidSpecError with a message naming the field and the fix; the layer
 * files build their `validate` from these.
 */
import { InvalidSpecError } from './errors';

/** Largest accepted dimension or layer width; far above any real classifier, far below overflow. */
export const MAX_DIM = 1 << 20;

export type Fields = Readonly<Record<string, unknown>>;

export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A short, safe rendering of an untrusted value for an error message. */
export function short(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'an array' : isObj(v) ? 'an object' : String(v);
  } catch {
    s = typeof v;
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

export function posInt(v: unknown, what: string, max = MAX_DIM): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) {
    throw new InvalidSpecError(`${what} must be an integer in [1, ${max}], got ${short(v)}; fix the spec`);
  }
  return v;
}

/** A positive int or [h, w] pair; `dflt` undefined makes the field required. */
export function pair(v: unknown, what: string, dflt?: number): [number, number] {
  if (v === undefined) {
    if (dflt === undefined) throw new InvalidSpecError(`${what} is required (an integer or [h, w]); fix the spec`);
    return [dflt, dflt];
  }
  if (Array.isArray(v) && v.length === 2) return [posInt(v[0], what), posInt(v[1], what)];
  const n = posInt(v, what);
  return [n, n];
}

export function optBool(v: unknown, what: string): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new InvalidSpecError(`${what} must be a boolean, got ${short(v)}; fix the spec`);
  return v;
}

export function optNum(v: unknown, what: string, lo: number, hi: number, loOpen = false): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v > hi || (loOpen ? v <= lo : v < lo)) {
    throw new InvalidSpecError(`${what} must be a number in ${loOpen ? '(' : '['}${lo}, ${hi}], got ${short(v)}; fix the spec`);
  }
  return v;
}
