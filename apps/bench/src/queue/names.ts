/**
 * Redis key layout. Every run gets its own BullMQ queue, named from the run's settings, so two runs never share
 * jobs; workers find the live runs in one set instead of being told each queue name.
 */

/** BullMQ key prefix for everything metanet puts in Redis. */
export const QUEUE_PREFIX = 'metanet';

/** Set of the queue names of runs whose coordinator is collecting results. */
export const RUNS_KEY = `${QUEUE_PREFIX}:runs`;

/** A queue name for a run: a short readable kind plus a digest of its settings, with no ':' (BullMQ forbids it). */
export function runQueueName(kind: string, settingsDigest: string): string {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9_.-]/g, '-');
  return `${safe(kind)}-${safe(settingsDigest).slice(0, 16)}`;
}
