import { isIP } from 'node:net';
import { QueueUrlError } from './errors';

/** Connection options for ioredis/BullMQ, parsed from a `redis://` or `rediss://` URL. */
export interface QueueConnection {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly db: number;
  readonly tls?: Record<string, never>;
  /** BullMQ workers block on Redis; a finite retry count would drop them when Redis restarts. */
  readonly maxRetriesPerRequest: null;
}

const LOOPBACK_NAMES = new Set(['localhost', 'ip6-localhost', 'ip6-loopback']);

/** True for 127.0.0.0/8, ::1 and the usual loopback host names. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (LOOPBACK_NAMES.has(h)) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * Parses `--queue URL` and applies the security rule: a plain `redis://` URL without a password is allowed only on
 * loopback, because anyone who can reach an open Redis can enqueue arbitrary units or read every result. Anything
 * else needs TLS (`rediss://`) or a password (Redis ACL: `redis://user:pass@host:port`).
 */
export function parseQueueUrl(raw: string): QueueConnection {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new QueueUrlError(`--queue ${JSON.stringify(raw)} is not a URL; give redis://127.0.0.1:6379 or rediss://user:password@host:port`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new QueueUrlError(`--queue must be a redis:// or rediss:// URL, got ${url.protocol}//; give redis://127.0.0.1:6379 or rediss://user:password@host:port`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new QueueUrlError(`--queue ${JSON.stringify(raw)} names no host; give redis://127.0.0.1:6379`);
  const port = url.port ? Number(url.port) : 6379;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const tls = url.protocol === 'rediss:';
  if (!tls && password === undefined && !isLoopbackHost(host)) {
    throw new QueueUrlError(
      `refusing an unauthenticated, unencrypted Redis at ${host}: use rediss:// or a password (redis://user:password@${host}:${port}); plain redis:// is allowed only on loopback`,
    );
  }
  const dbPath = url.pathname.replace(/^\//, '');
  const db = dbPath === '' ? 0 : Number(dbPath);
  if (!Number.isInteger(db) || db < 0) throw new QueueUrlError(`--queue database ${JSON.stringify(dbPath)} is not a non-negative integer`);
  return {
    host,
    port,
    db,
    maxRetriesPerRequest: null,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(tls ? { tls: {} } : {}),
  };
}
