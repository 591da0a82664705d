import { describe, expect, it } from 'vitest';
import { InvalidUnitError, ResultTooLargeError, runUnit, spinWork, UNIT_KINDS } from '../../src/queue/index';

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

  it('spins a fixed number of iterations, not to a deadline, and returns what a sleeping unit returns', async () => {
    // One LCG step from state 1 is 1664525 + 1013904223; three steps, computed here by hand.
    let s = 1;
    for (let i = 0; i < 3; i++) s = (Math.imul(s, 1664525) + 1013904223) | 0;
    expect(spinWork(1)).toBe(1_015_568_748);
    expect(spinWork(3)).toBe(s);
    expect(spinWork(100_000)).toBe(spinWork(100_000));
    expect(spinWork(100_001)).not.toBe(spinWork(100_000));
    const spun = await runUnit(UNIT_KINDS, { id: 'u', kind: 'noop', payload: { bytes: 64, ms: 1000, seed: 4, spinIterations: 10_000 } });
    const slept = await runUnit(UNIT_KINDS, { id: 'u', kind: 'noop', payload: { bytes: 64, ms: 0, seed: 4 } });
    expect(spun).toEqual(slept);
    await expect(runUnit(UNIT_KINDS, { id: 'u', kind: 'noop', payload: { bytes: 1, ms: 0, seed: 1, spinIterations: -5 } })).rejects.toThrow(/at spinIterations/);
    await expect(runUnit(UNIT_KINDS, { id: 'u', kind: 'noop', payload: { bytes: 1, ms: 0, seed: 1, spin: true } })).rejects.toThrow(/fails its schema/);
  });
});
