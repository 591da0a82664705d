/**
 * Runs units on a worker_threads pool (piscina). A unit that throws, or crashes its worker, is
 * reported failed with its error; the pool replaces the worker and the other units go on.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { splitStored, writeUnit, type Json, type StageOutcome, type Unit } from './units';
import type { BenchSettings } from './settings';

/** The task a worker receives. */
export interface WorkerTask {
  unit: Unit;
  settings: BenchSettings;
  out: string;
}

export function defaultWorkers(): number {
  return availableParallelism();
}

/** What a pool that runs units elsewhere (a queue) reports while it waits, for the progress bar. */
export interface PoolQueueState {
  /** Units waiting in the queue (including retries waiting out their backoff). */
  readonly queued: number;
  /** Units a worker is running now. */
  readonly active: number;
  /** Workers attached to the queue. */
  readonly workers: number;
}

/** A pool bound to one run; `close` ends its threads. */
export interface UnitPool {
  /** Runs a stage's units, skipping those already stored; a queue pool also reports its queue's state to `onQueue`. */
  run(units: readonly Unit[], onDone: (id: string, ok: boolean, error?: string) => void, onQueue?: (q: PoolQueueState) => void): Promise<StageOutcome>;
  close(): Promise<void>;
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
}

/** A pool of `workers` threads running `bench-worker.js` (built next to the CLI). */
export function createUnitPool(settings: BenchSettings, out: string, workers: number): UnitPool {
  const pool = new Piscina<WorkerTask, Json>({
    filename: new URL('./bench-worker.js', import.meta.url).href,
    minThreads: 1,
    maxThreads: workers,
    // A unit is seconds to minutes of work: queue everything, keep threads (and their loaded data) warm.
    idleTimeout: 60_000,
  });
  return {
    async run(units, onDone) {
      const { results, todo } = splitStored(out, units, onDone);
      const failed: StageOutcome['failed'] = [];
      await Promise.all(
        todo.map(async (unit) => {
          try {
            const result = await pool.run({ unit, settings, out });
            writeUnit(out, unit, result);
            results.set(unit.id, result);
            onDone(unit.id, true);
          } catch (err) {
            const error = message(err);
            failed.push({ id: unit.id, error });
            onDone(unit.id, false, error);
          }
        }),
      );
      return { results, failed };
    },
    async close() {
      await pool.destroy();
    },
  };
}
