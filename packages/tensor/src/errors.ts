/**
 * Error classes of @metanet/tensor. `instanceof` matches by name, because kernels
 * registered by one copy of this package (ESM and CJS builds, or re-imported test
 * modules) throw that copy's classes into callers holding another copy.
 */
function matchesName(value: unknown, name: string): boolean {
  return value instanceof Error && value.name === name;
}

/** A requested backend cannot be loaded (not installed, failed to initialise, or unknown name). */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
  /** Matches by name, so an error thrown by another copy of this package is still an instance. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return matchesName(value, 'BackendUnavailableError');
  }
}

/** An op argument has the wrong shape, dtype or value. */
export class InvalidTensorArgumentError extends Error {
  override readonly name = 'InvalidTensorArgumentError';
  /** Matches by name, so an error thrown by another copy of this package is still an instance. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return matchesName(value, 'InvalidTensorArgumentError');
  }
}

/** An index (gather row, segment id) points outside the tensor it addresses. */
export class IndexOutOfRangeError extends Error {
  override readonly name = 'IndexOutOfRangeError';
  /** Matches by name, so an error thrown by another copy of this package is still an instance. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return matchesName(value, 'IndexOutOfRangeError');
  }
}

/** Where a training loop met a non-finite value: 1-based, each field when the loop has it. */
export interface TrainingPosition {
  readonly epoch?: number;
  readonly step?: number;
}

/**
 * A training loss or gradient became NaN or ±Inf, so the step was not applied.
 * Every training loop (nets' trainer, the GMN step, the unlearning loop) throws
 * this one class, so a caller catches one error whichever loop it runs.
 */
export class NonFiniteLossError extends Error {
  override readonly name = 'NonFiniteLossError';
  readonly epoch?: number;
  readonly step?: number;
  constructor(message: string, at: TrainingPosition = {}) {
    super(message);
    if (at.epoch !== undefined) this.epoch = at.epoch;
    if (at.step !== undefined) this.step = at.step;
  }
  /** Matches by name, so an error thrown by another copy of this package is still an instance. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return matchesName(value, 'NonFiniteLossError');
  }
}
