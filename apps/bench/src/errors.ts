/**
 * Maps errors to the CLI contract: bad input → one line on stderr, exit 2, no stack;
 * a bug (a built-in error type nobody meant to throw) → stack trace, exit 1.
 */

/** Bad command-line usage that commander itself cannot detect (e.g. mutually exclusive flags). */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

const BUILTIN_ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError', 'AggregateError']);

/** Node's system errors for user-supplied paths are bad input, not bugs. */
const USER_FS_CODES = new Set(['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EEXIST', 'ENOSPC', 'EROFS', 'EPERM']);

export function isBadInput(err: unknown): err is Error {
  if (!(err instanceof Error)) return false;
  if (err instanceof CliUsageError) return true;
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && USER_FS_CODES.has(code)) return true;
  // Every metanet package throws its own Error subclasses (InvalidWeightsError, ...):
  // a class that is not one of the built-ins is a typed, user-facing error.
  return !BUILTIN_ERRORS.has(err.constructor.name);
}

export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

/** Writes the error and returns the exit code the process should use. */
export function reportError(err: unknown, write: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (isBadInput(err)) {
    write(`metanet: ${oneLine(err.message)}\n`);
    return 2;
  }
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  write(`metanet: internal error (please report it): ${detail}\n`);
  return 1;
}
