/**
 * Redis key layout. Every run gets its own BullMQ queue, named from the run's settings, so two runs never share
 * jobs; workers find the live runs in one set instead of being told each queue name.
 */

/** BullMQ key prefix for everything metanet puts in Redis. */
export const QUEUE_PREFIX = 'metanet';

/** Set of the queue names of runs whose coordinator is collecting results. */
export const RUNS_KEY = `${QUEUE_PREFIX}:runs`;

const KEEP = /[A-Za-z0-9.-]/;

/**
 * Encodes any string into BullMQ-safe characters (letters, digits, `.`, `-`, `_`; no `:`, which BullMQ uses in its
 * keys), injectively: every other character, `_` included, becomes `_<hex code point>_`. Replacing them all with one
 * character would map `a/b` and `a_b` to the same job id, and the second unit's result would be taken for the first's.
 */
export function queueSafeId(s: string): string {
  let out = '';
  for (const ch of s) out += KEEP.test(ch) ? ch : `_${ch.codePointAt(0)!.toString(16)}_`;
  return out;
}

/** The inverse of `queueSafeId`. */
export function fromQueueSafeId(s: string): string {
  return s.replace(/_([0-9a-f]+)_/g, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
}

/** A queue name for a run: a short readable kind plus a digest of its settings, with no ':' (BullMQ forbids it). */
export function runQueueName(kind: string, settingsDigest: string): string {
  return `${queueSafeId(kind)}-${queueSafeId(settingsDigest.slice(0, 16))}`;
}
