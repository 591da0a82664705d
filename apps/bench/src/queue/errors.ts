/** Errors of the BullMQ scale-out layer; each is bad input the CLI reports in one line with exit 2. */

/** The `--queue` URL cannot be used: malformed, or insecure for a non-loopback host. */
export class QueueUrlError extends Error {
  override name = 'QueueUrlError';
}

/** A queued unit's payload does not match its kind's schema, or names a kind this worker does not know. */
export class InvalidUnitError extends Error {
  override name = 'InvalidUnitError';
}

/** A unit's result is larger than the worker's `--max-result-mb` limit. */
export class ResultTooLargeError extends Error {
  override name = 'ResultTooLargeError';
}

/** Some units failed on their last attempt; the others' results were kept. */
export class QueueUnitsFailedError extends Error {
  override name = 'QueueUnitsFailedError';
}
