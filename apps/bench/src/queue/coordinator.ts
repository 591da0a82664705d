import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_PREFIX, RUNS_KEY } from './names';
import type { Unit } from './unit';
import type { QueueConnection } from './url';

/** What the coordinator reports while it waits. */
export interface QueueProgress {
  readonly done: number;
  readonly failed: number;
  readonly total: number;
  readonly waiting: number;
  readonly active: number;
  readonly workers: number;
}

export interface RunOnQueueOptions {
  readonly connection: QueueConnection;
  /** The run's queue name (`runQueueName`). */
  readonly queueName: string;
  /** Units still to do; the caller leaves out those whose results it already holds. */
  readonly units: readonly Unit[];
  /** Persists one result; the job is removed from Redis only after this resolves, so a crash here loses nothing. */
  onResult(unit: Unit, result: unknown): Promise<void> | void;
  /** A unit that failed on its last attempt; the others go on. */
  onFailed?(unit: Unit, error: string): Promise<void> | void;
  onProgress?(p: QueueProgress): void;
  /** Attempts per unit before it is reported failed (default 3). */
  readonly attempts?: number;
  /** How often to reconcile with Redis in case an event was missed, e.g. across a coordinator restart (ms). */
  readonly pollMs?: number;
}

export interface QueueRunSummary {
  readonly completed: number;
  readonly failed: ReadonlyArray<{ id: string; error: string }>;
}

/**
 * Enqueues units on BullMQ and collects their results. Job ids are the unit ids, so re-adding a unit that is already
 * queued (a restarted coordinator re-attaching) is a no-op in BullMQ, and each result is handed over once: a unit
 * leaves `pending` on its first completion, and any later duplicate is ignored.
 */
export async function runOnQueue(opts: RunOnQueueOptions): Promise<QueueRunSummary> {
  const { connection, queueName } = opts;
  const queue = new Queue(queueName, { connection, prefix: QUEUE_PREFIX });
  const events = new QueueEvents(queueName, { connection, prefix: QUEUE_PREFIX });
  const redis = new Redis(connection);
  // While Redis restarts, ioredis retries on its own; unhandled 'error' events would only print noise.
  queue.on('error', () => undefined);
  events.on('error', () => undefined);
  redis.on('error', () => undefined);
  const pending = new Map(opts.units.map((u) => [u.id, u] as const));
  const failed: Array<{ id: string; error: string }> = [];
  let completed = 0;
  try {
    await events.waitUntilReady();
    await redis.sadd(RUNS_KEY, queueName);
    const attempts = opts.attempts ?? 3;
    await queue.addBulk(
      opts.units.map((u) => ({
        name: u.kind,
        data: u,
        opts: { jobId: u.id, attempts, backoff: { type: 'fixed', delay: 200 }, removeOnComplete: false, removeOnFail: false },
      })),
    );
    let wake: (() => void) | null = null;
    const nudge = (): void => wake?.();
    events.on('completed', nudge);
    // Only final failures wake the loop: BullMQ writes a 'failed' event only when a job enters the failed set (its
    // last attempt, an unrecoverable error, or too many stalls); an attempt that will be retried moves the job to
    // 'delayed' with a 'delayed' event. queue.test.ts pins this, so a BullMQ change that breaks it fails a test.
    events.on('failed', nudge);
    const total = opts.units.length;
    while (pending.size > 0) {
      // Finished jobs are removed once handed over, so these sets hold only what is not collected yet.
      for (const job of await queue.getJobs(['completed'], 0, 999)) {
        const unit = job.id === undefined ? undefined : pending.get(job.id);
        if (unit && pending.delete(unit.id)) {
          await opts.onResult(unit, job.returnvalue);
          completed += 1;
        }
        await job.remove();
      }
      for (const job of await queue.getJobs(['failed'], 0, 999)) {
        const unit = job.id === undefined ? undefined : pending.get(job.id);
        if (unit && pending.delete(unit.id)) {
          failed.push({ id: unit.id, error: job.failedReason });
          await opts.onFailed?.(unit, job.failedReason);
        }
        await job.remove();
      }
      if (opts.onProgress) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        const workers = (await queue.getWorkers()).length;
        opts.onProgress({ done: completed, failed: failed.length, total, waiting: (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0), active: counts.active ?? 0, workers });
      }
      if (pending.size === 0) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, opts.pollMs ?? 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
    await redis.srem(RUNS_KEY, queueName);
    await queue.obliterate({ force: true });
    return { completed, failed };
  } finally {
    await Promise.allSettled([events.close(), queue.close()]);
    redis.disconnect();
  }
}
