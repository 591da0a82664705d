import { createHash } from 'node:crypto';
import type { UnitPool } from '../bench/pool';
import type { BenchSettings } from '../bench/settings';
import { readUnit, writeUnit, type Json, type StageOutcome } from '../bench/units';
import { runOnQueue } from './coordinator';
import { runQueueName } from './names';
import type { QueueConnection } from './url';

/**
 * A bench `UnitPool` that sends each stage's units to a BullMQ queue instead of local threads. Finished units are
 * skipped and results are written atomically exactly as the local pool does, so a queued run resumes like a local
 * one and gives the same results.json. A unit that fails on every attempt is reported failed; the others go on.
 */
export function createQueueUnitPool(connection: QueueConnection, settings: BenchSettings, out: string): UnitPool {
  return {
    async run(units, onDone) {
      const results = new Map<string, Json>();
      const failed: StageOutcome['failed'] = [];
      const todo = [];
      for (const unit of units) {
        const stored = readUnit(out, unit.id);
        if (stored === undefined) {
          todo.push(unit);
        } else {
          results.set(unit.id, stored);
          onDone(unit.id, true);
        }
      }
      if (todo.length === 0) return { results, failed };
      const byId = new Map(todo.map((u) => [u.id.replace(/[^A-Za-z0-9_.-]/g, '_'), u] as const));
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
          onDone(unit.id, false);
        },
      });
      return { results, failed };
    },
    async close() {},
  };
}
