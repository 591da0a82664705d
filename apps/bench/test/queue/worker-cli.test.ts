import { describe, expect, it } from 'vitest';
import { runCli } from '../run-cli';

describe('metanet worker: bad input', () => {
  it('refuses an unauthenticated Redis off loopback with one line and exit 2', () => {
    const r = runCli(['worker', '--queue', 'redis://10.0.0.5:6379']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^metanet: refusing an unauthenticated, unencrypted Redis at 10\.0\.0\.5: use rediss:\/\/ or a password/);
  });

  it('refuses a queue URL that is not redis:// and a non-positive concurrency', () => {
    const a = runCli(['worker', '--queue', 'http://127.0.0.1:6379']);
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/must be a redis:\/\/ or rediss:\/\/ URL/);
    const b = runCli(['worker', '--queue', 'redis://127.0.0.1:6379', '--concurrency', '0']);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/--concurrency must be a positive number/);
    expect(`${a.stderr}${b.stderr}`).not.toMatch(/\n\s+at /);
  });
});
