import { UnrecoverableError, type SandboxedJob } from 'bullmq';
import { InvalidUnitError, ResultTooLargeError } from './errors';
import { UNIT_KINDS } from './kinds/index';
import { runUnit } from './unit';

/**
 * BullMQ's sandboxed processor: each worker thread loads this file once and runs one unit at a time, so each
 * concurrent unit has its own tfjs instance. Bad payloads and oversized results are unrecoverable (retrying cannot
 * fix them); any other error is retried up to the job's attempt budget.
 */
export default async function process(job: SandboxedJob): Promise<unknown> {
  try {
    return await runUnit(UNIT_KINDS, job.data);
  } catch (err) {
    if (err instanceof InvalidUnitError || err instanceof ResultTooLargeError) throw new UnrecoverableError(`${err.name}: ${err.message}`);
    throw err;
  }
}
