/**
 * Typed errors of @metanet/data. Each message is one line naming the problem
 * and, where there is one, the fix. The CLI maps them to exit code 2.
 */

/** Base class of every error thrown by @metanet/data. */
export class DataError extends Error {
  override name = 'DataError';
}

/** A dataset file exists but is truncated, corrupt, or not in the expected format. */
export class CorruptDatasetFileError extends DataError {
  override name = 'CorruptDatasetFileError';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

/** The dataset files are not where they were looked for. */
export class DatasetNotFoundError extends DataError {
  override name = 'DatasetNotFoundError';
}

/** A dataset name this package does not know. */
export class UnknownDatasetError extends DataError {
  override name = 'UnknownDatasetError';
}

/** A split request that cannot be satisfied (base of the split errors below). */
export class InvalidSplitError extends DataError {
  override name = 'InvalidSplitError';
}

/** A class id outside the dataset's label set. */
export class UnknownClassError extends InvalidSplitError {
  override name = 'UnknownClassError';
}

/** The forget set of a split came out empty. */
export class EmptyForgetSetError extends InvalidSplitError {
  override name = 'EmptyForgetSetError';
}

/** A fraction outside (0, 1), or a size outside [1, n - 1]. */
export class InvalidFractionError extends InvalidSplitError {
  override name = 'InvalidFractionError';
}

/** Bad arguments to a dataset builder or batcher (e.g. batchSize 0). */
export class InvalidDatasetOptionsError extends DataError {
  override name = 'InvalidDatasetOptionsError';
}

/** A download failed (HTTP status, network, or checksum mismatch). */
export class DatasetFetchError extends DataError {
  override name = 'DatasetFetchError';
}

/** A downloaded file's sha256 differs from the embedded table. */
export class ChecksumMismatchError extends DatasetFetchError {
  override name = 'ChecksumMismatchError';
}
