/** A requested backend cannot be loaded (not installed, failed to initialise, or unknown name). */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
  constructor(message: string) {
    super(message);
  }
}

/** An op argument has the wrong shape, dtype or value. */
export class InvalidTensorArgumentError extends Error {
  override readonly name = 'InvalidTensorArgumentError';
  constructor(message: string) {
    super(message);
  }
}

/** An index (gather row, segment id) points outside the tensor it addresses. */
export class IndexOutOfRangeError extends Error {
  override readonly name = 'IndexOutOfRangeError';
  constructor(message: string) {
    super(message);
  }
}
