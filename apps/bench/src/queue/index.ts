/** The BullMQ scale-out layer: parse a queue URL, enqueue units and collect results, serve units as a worker. */
export * from './errors';
export { parseQueueUrl, isLoopbackHost, type QueueConnection } from './url';
export { runOnQueue, type RunOnQueueOptions, type QueueRunSummary, type QueueProgress } from './coordinator';
export { serveQueue, DEFAULT_TIMINGS, type ServeOptions, type WorkerTimings } from './worker';
export { QUEUE_PREFIX, RUNS_KEY, runQueueName, queueSafeId, fromQueueSafeId } from './names';
export { runUnit, checkUnit, erase, maxResultBytes, MAX_RESULT_ENV, DEFAULT_MAX_RESULT_BYTES, type Unit, type UnitKind, type RegisteredKind } from './unit';
export { UNIT_KINDS } from './kinds/index';
export { spinIterationsFor, spinWork } from './kinds/noop';
export { queueExecutor } from './zoo-executor';
export { createQueueUnitPool } from './bench-executor';
