import { describe, expect, it } from 'vitest';
import { InvalidUnitError, ResultTooLargeError, runUnit, UNIT_KINDS } from '../../src/queue/index';

describe('runUnit', () => {
  it('runs a valid noop unit deterministically, at the requested size', async () => {
    const a = (await runUnit(UNIT_KINDS, { id: 'u1', kind: 'noop', payload: { bytes: 300, ms: 0, seed: 7 } })) as { data: string };
    const b = (await runUnit(UNIT_KINDS, { id: 'u1', kind: 'noop', payload: { bytes: 300, ms: 0, seed: 7 } })) as { data: string };
    const c = (await runUnit(UNIT_KINDS, { id: 'u2', kind: 'noop', payload: { bytes: 300, ms: 0, seed: 8 } })) as { data: string };
    expect(a.data).toHaveLength(300);
    expect(a).toEqual(b);
    expect(c.data).not.toBe(a.data);
  });

  it('refuses a payload that fails the schema, naming the field', async () => {
    await expect(runUnit(UNIT_KINDS, { id: 'u', kind: 'noop', payload: { bytes: -1, ms: 0, seed: 1 } })).rejects.toThrow(InvalidUnitError);
    await expect(runUnit(UNIT_KINDS, { id: 'u', kind: 'noop', payload: { bytes: 1, ms: 0, seed: 1, extra: 1 } })).rejects.toThrow(/fails its schema/);
    await expect(runUnit(UNIT_KINDS, { id: 'u', kind: 'noop', payload: { ms: 0, seed: 1 } })).rejects.toThrow(/at bytes/);
  });

  it('refuses an unknown kind and a non-object, listing the known kinds', async () => {
    await expect(runUnit(UNIT_KINDS, { id: 'u', kind: 'rm-rf', payload: {} })).rejects.toThrow(/unknown unit kind "rm-rf".*noop/);
    await expect(runUnit(UNIT_KINDS, 'noop')).rejects.toThrow(InvalidUnitError);
  });

  it('refuses a result over the limit', async () => {
    await expect(runUnit(UNIT_KINDS, { id: 'u', kind: 'noop', payload: { bytes: 5000, ms: 0, seed: 1 } }, 1000)).rejects.toThrow(ResultTooLargeError);
    await expect(runUnit(UNIT_KINDS, { id: 'u', kind: 'noop', payload: { bytes: 500, ms: 0, seed: 1 } }, 1000)).resolves.toBeDefined();
  });
});
