/**
 * Opening dataset files: the checks every reader shares, so that a missing
 * file, a directory, or an unreadable path always becomes a typed error.
 */
import { readFile, stat } from 'node:fs/promises';
import { CorruptDatasetFileError, DatasetNotFoundError } from './errors';

/** gzip member magic (RFC 1952). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function errCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** The file's size in bytes; typed errors for a missing path or a non-file. */
export async function fileSize(path: string): Promise<number> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new CorruptDatasetFileError(path, 'is a directory, expected a dataset file');
    if (!s.isFile()) throw new CorruptDatasetFileError(path, 'is not a regular file');
    return s.size;
  } catch (err) {
    if (err instanceof CorruptDatasetFileError) throw err;
    if (errCode(err) === 'ENOENT') throw new DatasetNotFoundError(`${path}: file not found; check the data directory or fetch the dataset`);
    throw new CorruptDatasetFileError(path, `cannot be read (${errCode(err) ?? 'unknown error'})`);
  }
}

/** Whole file; its size is on disk, so the allocation is backed. */
export async function readWholeFile(path: string): Promise<Uint8Array> {
  await fileSize(path);
  try {
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (err) {
    throw new CorruptDatasetFileError(path, `cannot be read (${errCode(err) ?? 'unknown error'})`);
  }
}
