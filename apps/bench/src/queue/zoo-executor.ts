import { createHash } from 'node:crypto';
import { canonicalJson, decodeRunResult, type EncodedRunResult, type RunExecutor, type ZooSettings } from '@metanet/zoo';
import { runOnQueue, type QueueProgress } from './coordinator';
import { QueueUnitsFailedError } from './errors';
import { runQueueName } from './names';
import type { QueueConnection } from './url';

/**
 * A `RunExecutor` for `buildZoo` that sends the runs to a BullMQ queue instead of the local pool. The builder still
 * writes every file, so resuming, sharding and the byte-for-byte guarantee are the same as for a local build. The
 * queue is named from the settings and the set of runs, so a restarted coordinator re-attaches to its own queue.
 */
export function queueExecutor(connection: QueueConnection, settings: ZooSettings, onProgress?: (p: QueueProgress) => void): RunExecutor {
  return async (tasks, onResult) => {
    if (tasks.length === 0) return;
    const digest = createHash('sha256').update(canonicalJson(settings)).update(tasks.map((t) => t.run).join(',')).digest('hex');
    const units = tasks.map((t) => ({ id: `run-${t.run}`, kind: 'zoo-run', payload: { settings, run: t.run } }));
    const summary = await runOnQueue({
      connection,
      queueName: runQueueName('zoo', digest),
      units,
      pollMs: 250,
      onResult: (_unit, result) => onResult(decodeRunResult(result as EncodedRunResult)),
      ...(onProgress ? { onProgress } : {}),
    });
    if (summary.failed.length > 0) {
      const first = summary.failed[0]!;
      throw new QueueUnitsFailedError(
        `${summary.failed.length} zoo run(s) failed on the queue (${first.id}: ${first.error}); the ${summary.completed} others are in the zoo; rerun the same command to retry the failed ones`,
      );
    }
  };
}
