/**
 * The pool's worker entry: runs one unit with its section's executor. The backend and the
 * datasets load once per thread and stay cached across the units it runs.
 */
import { EXECUTORS } from './sections/index';
import type { Json } from './units';
import type { WorkerTask } from './pool';

export default async function runTask(task: WorkerTask): Promise<Json> {
  const crash = process.env.METANET_BENCH_CRASH_UNIT;
  // Test hook: kills this worker thread mid-unit, as an out-of-memory abort would.
  if (crash !== undefined && task.unit.id === crash) process.exit(70);
  const executor = EXECUTORS[task.unit.kind];
  if (!executor) throw new Error(`no executor for unit kind '${task.unit.kind}'`);
  return executor(task.unit, { settings: task.settings, out: task.out });
}
