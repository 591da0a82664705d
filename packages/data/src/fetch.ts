/**
 * Downloading datasets. Nothing in this package downloads unless
 * `fetchDataset` / `fetchFiles` is called explicitly.
 *
 * Integrity: each file's sha256 is checked against an embedded table before
 * it is written. For gzip files the hash is of the *decompressed* content:
 * distributions repack the archives (Debian's dataset-fashion-mnist .gz files
 * differ byte-wise from upstream's, yet hold the same IDX data), so the
 * compressed bytes cannot be pinned, while the data can. The Fashion-MNIST
 * hashes were computed from /usr/share/datasets/fashion-mnist.
 *
 * Writes are atomic (./atomic: temp file beside the target, fsync, rename, fsync
 * the directory).
 * A rejected or interrupted download leaves no file behind.
 */
import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { writeFileAtomic } from './atomic';
import { ChecksumMismatchError, DatasetFetchError, UnknownDatasetError } from './errors';
import { isGzip, readWholeFile } from './file-input';

/** One file of a downloadable dataset: its URL, name and sha256. */
export interface RemoteFile {
  /** File name, appended to the base URL and used on disk. */
  readonly name: string;
  /** Hex sha256 of the content (decompressed content when `gzip`). */
  readonly sha256: string;
  /** Byte size of the hashed content. */
  readonly size: number;
  readonly gzip: boolean;
}

/** A dataset that `fetchDataset` can download: its name and files. */
export interface RemoteDataset {
  readonly baseUrl: string;
  readonly files: readonly RemoteFile[];
}

/** Datasets `fetchDataset` knows. MNIST and CIFAR-10 are not included: their sha256 could not be verified here. */
export const REMOTE_DATASETS: Readonly<Record<string, RemoteDataset>> = {
  'fashion-mnist': {
    baseUrl: 'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
    files: [
      { name: 'train-images-idx3-ubyte.gz', sha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888', size: 47_040_016, gzip: true },
      { name: 'train-labels-idx1-ubyte.gz', sha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9', size: 60_008, gzip: true },
      { name: 't10k-images-idx3-ubyte.gz', sha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b', size: 7_840_016, gzip: true },
      { name: 't10k-labels-idx1-ubyte.gz', sha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34', size: 10_008, gzip: true },
    ],
  },
};

/** Progress of a download, reported to `FetchOptions.onProgress`. */
export interface FetchProgress {
  readonly file: string;
  readonly received: number;
  /** From Content-Length; null when the server does not say. */
  readonly total: number | null;
  /** 'download' while receiving; 'verified' once checked and written; 'cached' when already present. */
  readonly phase: 'download' | 'verified' | 'cached';
}

/** Options of `fetchDataset`: destination directory, download location and progress callback. */
export interface FetchOptions {
  /** Destination directory (created if missing). */
  readonly to: string;
  /** Override the download location (https, or http on 127.0.0.1/localhost for tests and mirrors on the same host). */
  readonly baseUrl?: string;
  /** Called as bytes arrive. */
  readonly onProgress?: (p: FetchProgress) => void;
}

/** A downloaded and checked file. */
export interface FetchedFile {
  readonly name: string;
  readonly path: string;
  /** Bytes on disk. */
  readonly bytes: number;
  readonly cached: boolean;
}

function checkBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.endsWith('/') ? raw : `${raw}/`);
  } catch {
    throw new DatasetFetchError(`base URL '${raw}' is not a valid URL; pass an https:// URL`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new DatasetFetchError(`base URL '${raw}' must use https (plain http is only allowed for 127.0.0.1/localhost)`);
  }
  return url;
}

/** sha256 and size of the content as the table defines it, or null if it cannot be decoded. */
function contentDigest(bytes: Uint8Array, f: RemoteFile): { sha256: string; size: number } | null {
  let content = bytes;
  if (f.gzip) {
    if (!isGzip(bytes)) return null;
    try {
      // Bounded: more output than the table's size is a mismatch anyway.
      content = gunzipSync(bytes, { maxOutputLength: f.size + 1 });
    } catch {
      return null;
    }
  }
  return { sha256: createHash('sha256').update(content).digest('hex'), size: content.length };
}

async function alreadyValid(path: string, f: RemoteFile): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    const d = contentDigest(await readWholeFile(path), f);
    return d !== null && d.sha256 === f.sha256 && d.size === f.size;
  } catch {
    return false;
  }
}

async function download(url: URL, f: RemoteFile, onProgress?: (p: FetchProgress) => void): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow' });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : err instanceof Error ? err.message : String(err);
    throw new DatasetFetchError(`cannot download ${url.href} (${cause.split('\n')[0]}); check the network or pass --base-url`);
  }
  if (!res.ok || !res.body) {
    throw new DatasetFetchError(`download of ${url.href} failed with HTTP ${res.status}; check the URL or pass --base-url`);
  }
  const lengthHeader = res.headers.get('content-length');
  const total = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
  // Compressed data is never much larger than its content; refuse a runaway body.
  const cap = f.size + (1 << 20);
  if (total !== null && total > cap) throw new DatasetFetchError(`${url.href} is ${total} bytes, more than the expected at most ${cap}; refusing it`);
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
      if (received > cap) throw new DatasetFetchError(`${url.href} sent more than ${cap} bytes; refusing it`);
      chunks.push(value);
      onProgress?.({ file: f.name, received, total, phase: 'download' });
    }
  } catch (err) {
    await reader.cancel().catch(() => undefined);
    if (err instanceof DatasetFetchError) throw err;
    throw new DatasetFetchError(`download of ${url.href} was interrupted (${err instanceof Error ? err.message : String(err)})`);
  }
  const body = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.length;
  }
  return body;
}

/** Writes a verified download through the one atomic writer, as a DatasetFetchError on failure. */
function writeDownload(path: string, bytes: Uint8Array): void {
  try {
    writeFileAtomic(path, bytes);
  } catch (err) {
    throw new DatasetFetchError(`cannot write ${path} (${err instanceof Error ? err.message : String(err)})`);
  }
}

/**
 * Downloads `files` from `baseUrl` into `to`, verifying each before writing.
 * A file already present with the right content is kept (so an interrupted
 * fetch can simply be rerun).
 */
export async function fetchFiles(remote: RemoteDataset, opts: FetchOptions): Promise<FetchedFile[]> {
  const base = checkBaseUrl(opts.baseUrl ?? remote.baseUrl);
  try {
    await mkdir(opts.to, { recursive: true });
  } catch (err) {
    throw new DatasetFetchError(`cannot create ${opts.to} (${err instanceof Error ? err.message : String(err)})`);
  }
  const out: FetchedFile[] = [];
  for (const f of remote.files) {
    const path = join(opts.to, f.name);
    if (await alreadyValid(path, f)) {
      const bytes = (await stat(path)).size;
      opts.onProgress?.({ file: f.name, received: bytes, total: bytes, phase: 'cached' });
      out.push({ name: f.name, path, bytes, cached: true });
      continue;
    }
    const url = new URL(f.name, base);
    const body = await download(url, f, opts.onProgress);
    const d = contentDigest(body, f);
    if (d === null) throw new ChecksumMismatchError(`${url.href} is not a valid gzip file; the download is corrupt, nothing was written`);
    if (d.sha256 !== f.sha256 || d.size !== f.size) {
      throw new ChecksumMismatchError(`${url.href} has sha256 ${d.sha256.slice(0, 16)}… (${d.size} bytes), expected ${f.sha256.slice(0, 16)}… (${f.size} bytes); nothing was written`);
    }
    writeDownload(path, body);
    opts.onProgress?.({ file: f.name, received: body.length, total: body.length, phase: 'verified' });
    out.push({ name: f.name, path, bytes: body.length, cached: false });
  }
  return out;
}

/** Downloads a known dataset (see REMOTE_DATASETS) into `opts.to`. */
export async function fetchDataset(name: string, opts: FetchOptions): Promise<FetchedFile[]> {
  const remote = REMOTE_DATASETS[name];
  if (!remote) {
    throw new UnknownDatasetError(`cannot fetch '${name}'; fetchable: ${Object.keys(REMOTE_DATASETS).join(', ')} (MNIST and CIFAR-10: download them yourself and pass --data-dir)`);
  }
  return fetchFiles(remote, opts);
}
