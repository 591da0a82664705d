import { createHash } from 'node:crypto';
import type { UnitPool } from '../bench/pool';
import type { BenchSettings } from '../bench/settings';
import { splitStored, writeUnit, type Json, type StageOutcome } from '../bench/units';
import { runOnQueue } from './coordinator';
import { queueSafeId, runQueueName } from './names';
import type { QueueConnection } from './url';

/**
 * A bench `UnitPool` that sends each stage's units to a BullMQ queue instead of local threads. Finished units are
 * skipped and results are written atomically exactly as the local pool does, so a queued run resumes like a local
 * one and gives the same results.json. A unit that fails on every attempt is reported failed; the others go on.
 */
export function createQueueUnitPool(connection: QueueConnection, settings: BenchSettings, out: string): UnitPool {
  return {
    async run(units, onDone, onQueue) {
      const { results, todo } = splitStored(out, units, onDone);
      const failed: StageOutcome['failed'] = [];
      if (todo.length === 0) return { results, failed };
      const byId = new Map(todo.map((u) => [queueSafeId(u.id), u] as const));
      const digest = createHash('sha256').update(JSON.stringify(settings)).update(out).update([...byId.keys()].join(',')).digest('hex');
      await runOnQueue({
        connection,
        queueName: runQueueName('bench', digest),
        units: [...byId].map(([id, unit]) => ({ id, kind: 'bench-unit', payload: { unit, settings, out } })),
        pollMs: 250,
        onResult: (u, result) => {
          const unit = byId.get(u.id)!;
          writeUnit(out, unit, result as Json);
          results.set(unit.id, result as Json);
          onDone(unit.id, true);
        },
        onFailed: (u, error) => {
          const unit = byId.get(u.id)!;
          failed.push({ id: unit.id, error });
          onDone(unit.id, false, error);
        },
        ...(onQueue && { onProgress: (q) => onQueue({ queued: q.waiting, active: q.active, workers: q.workers }) }),
      });
      return { results, failed };
    },
    async close() {},
  };
}
