/**
 * Crash-safe writes, the one implementation for every package and the CLI:
 * build in a temp path beside the target, fsync, rename over the target,
 * fsync the directory. A reader sees the old file or the new one, never a
 * torn one, and a kill leaves at most a temp file that `sweepTempFiles`
 * recognises by its marker.
 *
 * It lives in @metanet/data because data is the lowest package that writes
 * files (dataset downloads) and every other writer (nets' bundles and
 * checkpoints, the CLI's outputs) may import it. npm's write-file-atomic was
 * considered: it does not fsync the directory after the rename, and its temp
 * names carry no marker a resumed run could sweep.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** Marker in temp-file names, so a resumed job can sweep leftovers of a killed one. */
export const TEMP_MARKER = '.tmp-';

/** A fresh temp path in the same directory as `path` (so the rename stays on one filesystem). */
export function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}${TEMP_MARKER}${process.pid}-${counter++}`);
}

/** Makes a rename in `dir` durable; a no-op where the filesystem refuses fsync on directories. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes `data` to `path` atomically (temp file, fsync, rename, fsync the directory). */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = tempPath(path);
  const fd = openSync(tmp, 'w', 0o644);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.byteLength) off += writeSync(fd, bytes, off, bytes.byteLength - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

/**
 * Builds a directory at `path` all or nothing: `build` fills a fresh temp
 * directory beside it, which then replaces `path` in one rename. If `build`
 * throws, the temp directory is removed and `path` is left as it was. A
 * directory cannot be renamed over a non-empty one, so an existing `path` is
 * removed just before the rename; a kill in that gap leaves the complete temp
 * directory, which `sweepTempFiles` clears.
 */
export function writeDirAtomic(path: string, build: (tmp: string) => void): void {
  const tmp = tempPath(path);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    build(tmp);
    rmSync(path, { recursive: true, force: true });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  fsyncDir(dirname(path));
}

/** Deletes temp files a killed writer left in `dir` (not recursive). Returns how many. */
export function sweepTempFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const entry of readdirSync(dir)) {
    if (entry.includes(TEMP_MARKER)) {
      rmSync(join(dir, entry), { recursive: true, force: true });
      n++;
    }
  }
  return n;
}
