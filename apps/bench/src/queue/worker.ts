import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_PREFIX, RUNS_KEY } from './names';
import type { QueueConnection } from './url';

export interface WorkerTimings {
  /** How long a unit's lock lives without renewal; a killed worker's unit is re-queued after about this long. */
  readonly lockMs: number;
  /** How often BullMQ looks for units whose lock expired (stalled). */
  readonly stalledCheckMs: number;
}

/** BullMQ's defaults (30 s): long enough that a busy event loop never loses a lock by accident. */
export const DEFAULT_TIMINGS: WorkerTimings = { lockMs: 30_000, stalledCheckMs: 30_000 };

export interface ServeOptions {
  readonly connection: QueueConnection;
  /** Units run at once, each in its own worker thread (its own tfjs instance). */
  readonly concurrency: number;
  /** Serve only these runs' queues; default every live run. */
  readonly runs?: readonly string[];
  readonly timings?: WorkerTimings;
  /** How often to look for new runs (ms). */
  readonly discoverMs?: number;
  readonly signal?: AbortSignal;
  onEvent?(e: { type: 'attach' | 'detach' | 'completed' | 'failed'; queue: string; id?: string; error?: string }): void;
}

/** The sandboxed processor, built next to the CLI bundle (tsup entry `queue-processor`). */
export function processorFile(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'queue-processor.js');
}

/**
 * Serves queued units until the signal aborts. It attaches one BullMQ Worker to each live run's queue (the set
 * `metanet:runs` that coordinators maintain) and detaches when the coordinator has collected everything. Units run
 * in BullMQ's sandboxed worker threads; a unit whose worker process dies is re-queued by BullMQ's stalled-job
 * check on another worker, which is why lock renewal, not this process, decides ownership.
 */
export async function serveQueue(opts: ServeOptions): Promise<void> {
  const redis = new Redis(opts.connection);
  redis.on('error', () => undefined); // ioredis reconnects by itself while Redis restarts.
  const attached = new Map<string, Worker>();
  const timings = opts.timings ?? DEFAULT_TIMINGS;
  const attach = (name: string): void => {
    const worker = new Worker(name, processorFile(), {
      connection: opts.connection,
      prefix: QUEUE_PREFIX,
      concurrency: opts.concurrency,
      useWorkerThreads: true,
      lockDuration: timings.lockMs,
      stalledInterval: timings.stalledCheckMs,
      maxStalledCount: 3,
    });
    worker.on('completed', (job) => opts.onEvent?.({ type: 'completed', queue: name, ...(job.id ? { id: job.id } : {}) }));
    worker.on('failed', (job, err) => opts.onEvent?.({ type: 'failed', queue: name, error: err.message, ...(job?.id ? { id: job.id } : {}) }));
    // Connection errors while Redis restarts are retried by ioredis; logging each would only add noise.
    worker.on('error', () => undefined);
    attached.set(name, worker);
    opts.onEvent?.({ type: 'attach', queue: name });
  };
  try {
    while (!opts.signal?.aborted) {
      let live: string[];
      try {
        live = opts.runs ? [...opts.runs] : await redis.smembers(RUNS_KEY);
      } catch {
        live = [...attached.keys()]; // Redis is restarting: keep serving what we have.
      }
      for (const name of live) if (!attached.has(name)) attach(name);
      for (const [name, worker] of attached) {
        if (!live.includes(name)) {
          attached.delete(name);
          await worker.close();
          opts.onEvent?.({ type: 'detach', queue: name });
        }
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, opts.discoverMs ?? 1000);
        opts.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    }
  } finally {
    await Promise.allSettled([...attached.values()].map((w) => w.close()));
    redis.disconnect();
  }
}
