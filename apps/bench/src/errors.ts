/**
 * Maps errors to the CLI contract: bad input → one line, exit 2, no stack;
 * a bug (a built-in error type nobody meant to throw) → stack trace, exit 1.
 * Every line starts with `metanet:` (usage errors too); with --json the error
 * is also one JSON document on stdout, so a script reads the stream it parses.
 */

/** Bad command-line usage that commander itself cannot detect (e.g. mutually exclusive flags). */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/** A saved net was trained on another dataset than the one loaded. */
export class RecordedDatasetMismatchError extends Error {
  override name = 'RecordedDatasetMismatchError';
}

/** `--gold` is not a net retrained for the request at hand. */
export class GoldMismatchError extends Error {
  override name = 'GoldMismatchError';
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

/**
 * Library errors name the library call that wrote a file (`saveNet`, `saveGMN`);
 * the user ran a command, so the message names that command instead.
 */
const API_WRITERS: ReadonlyArray<[RegExp, string]> = [
  [/\bsaveNet\b/g, '`metanet train` (or `metanet unlearn --out`)'],
  [/\bsaveGMN\b/g, 'the command that saved it'],
];

export function userMessage(message: string): string {
  let text = oneLine(message).replace(/^error:\s*/i, '');
  for (const [api, command] of API_WRITERS) text = text.replace(api, command);
  return text;
}

/** How an error is written: the stream writers, and whether --json was asked for. */
export interface ReportTarget {
  json?: boolean;
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
}

/** The one line on stderr always (a person watching a --json run still sees it), and with --json the JSON document on stdout. */
function emitError(message: string, target: ReportTarget): void {
  if (target.json) (target.stdout ?? ((s) => process.stdout.write(s)))(`${JSON.stringify({ error: message })}\n`);
  (target.stderr ?? ((s) => process.stderr.write(s)))(`metanet: ${message}\n`);
}

/** Writes a usage error (commander's or ours) as one line and returns exit code 2. */
export function reportUsage(message: string, target: ReportTarget = {}): number {
  emitError(userMessage(message), target);
  return 2;
}

/** Writes the error and returns the exit code the process should use. */
export function reportError(err: unknown, target: ReportTarget = {}): number {
  if (isBadInput(err)) {
    emitError(userMessage(err.message), target);
    return 2;
  }
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  // A bug keeps its stack on stderr even with --json: the JSON line says where to look.
  if (target.json) (target.stdout ?? ((s) => process.stdout.write(s)))(`${JSON.stringify({ error: 'internal error (please report it); the stack trace is on stderr' })}\n`);
  (target.stderr ?? ((s) => process.stderr.write(s)))(`metanet: internal error (please report it): ${detail}\n`);
  return 1;
}
