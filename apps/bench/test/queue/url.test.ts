import { describe, expect, it } from 'vitest';
import { isLoopbackHost, parseQueueUrl, QueueUrlError } from '../../src/queue/index';

describe('parseQueueUrl', () => {
  it('accepts plain redis:// on loopback and parses host, port and db', () => {
    expect(parseQueueUrl('redis://127.0.0.1:6380/2')).toMatchObject({ host: '127.0.0.1', port: 6380, db: 2, maxRetriesPerRequest: null });
    expect(parseQueueUrl('redis://localhost').port).toBe(6379);
    expect(parseQueueUrl('redis://[::1]:7000').host).toBe('::1');
  });

  it('refuses unauthenticated plain redis:// off loopback, naming both fixes', () => {
    expect(() => parseQueueUrl('redis://10.0.0.5:6379')).toThrow(QueueUrlError);
    expect(() => parseQueueUrl('redis://redis.internal:6379')).toThrow(/rediss:\/\/ or a password/);
  });

  it('accepts a password (ACL) or TLS off loopback', () => {
    const acl = parseQueueUrl('redis://metanet:s%40cret@10.0.0.5:6379');
    expect(acl).toMatchObject({ username: 'metanet', password: 's@cret', host: '10.0.0.5' });
    expect(acl.tls).toBeUndefined();
    expect(parseQueueUrl('rediss://redis.internal:6380').tls).toEqual({});
  });

  it('rejects what is not a redis URL', () => {
    expect(() => parseQueueUrl('127.0.0.1:6379')).toThrow(QueueUrlError);
    expect(() => parseQueueUrl('http://127.0.0.1:6379')).toThrow(/redis:\/\/ or rediss:\/\//);
    expect(() => parseQueueUrl('redis://127.0.0.1:6379/x')).toThrow(/database/);
  });

  it('knows loopback hosts', () => {
    expect(['127.0.0.1', '127.8.9.10', '::1', 'localhost'].map(isLoopbackHost)).toEqual([true, true, true, true]);
    expect(['10.0.0.1', '128.0.0.1', 'example.com', '::2'].map(isLoopbackHost)).toEqual([false, false, false, false]);
  });
});
