/**
 * The pool worker (piscina): one tfjs instance per worker thread, its backend and the zoo's data set up once, then
 * one run per task. Results go back as host arrays; the main thread alone writes files, so the index's rule
 * (bundle on disk before its line) has one owner.
 */
import { initBackend } from '@metanet/tensor';
import { loadZooData, type ZooData } from './data';
import { trainRun, type RunResult } from './run';
import { canonicalJson, type ZooSettings } from './settings';

/** One unit of work for the pool. */
export interface RunTask {
  readonly settings: ZooSettings;
  readonly run: number;
  readonly dataDir?: string;
}

let ready: Promise<ZooData> | undefined;
let readyFor = '';

/** Trains one run (piscina calls the default export). */
export default async function runTask(task: RunTask): Promise<RunResult> {
  const key = canonicalJson([task.settings.dataset, task.dataDir ?? null]);
  if (!ready || readyFor !== key) {
    readyFor = key;
    ready = initBackend().then(() => loadZooData(task.settings.dataset, task.dataDir));
  }
  return trainRun(task.settings, task.run, await ready);
}
