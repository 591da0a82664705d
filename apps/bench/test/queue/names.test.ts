import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromQueueSafeId, queueSafeId, runQueueName } from '../../src/queue/names';

/** Characters BullMQ job ids and queue names may hold here: no ':' (BullMQ's key separator), nothing else odd. */
const SAFE = /^[A-Za-z0-9_.-]*$/;

describe('queueSafeId', () => {
  it('keeps ids apart that differ only in characters it must escape', () => {
    const ids = ['a/b', 'a_b', 'a:b', 'a b', 'a__b', 'a_2f_b', 'a/_b', 'a_/b', 'homework/method/class-0/ft/s0', 'homework_method_class-0_ft_s0', 'é', 'e\u0301', '🙂', '_'];
    const encoded = ids.map(queueSafeId);
    expect(new Set(encoded).size).toBe(ids.length);
    for (const e of encoded) expect(e).toMatch(SAFE);
    expect(encoded.map(fromQueueSafeId)).toEqual(ids);
  });

  it('leaves plain ids as they are, so zoo run ids and digests read the same in Redis', () => {
    expect(queueSafeId('run-12')).toBe('run-12');
    expect(queueSafeId('s0.v2')).toBe('s0.v2');
    expect(queueSafeId('a/b')).toBe('a_2f_b');
  });

  it('is injective on any strings (property: decode(encode(s)) = s, output safe)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(queueSafeId(a)).toMatch(SAFE);
        expect(fromQueueSafeId(queueSafeId(a))).toBe(a);
        if (a !== b) expect(queueSafeId(a)).not.toBe(queueSafeId(b));
      }),
      { numRuns: 500 },
    );
  });

  it('names a run\'s queue from its kind and digest without a colon', () => {
    expect(runQueueName('zoo', 'abcdef0123456789abcdef')).toBe('zoo-abcdef0123456789');
    expect(runQueueName('a:b', '0123')).toMatch(SAFE);
    expect(runQueueName('a:b', '0123')).not.toBe(runQueueName('a_b', '0123'));
  });
});
