// Tests of the shared fuzz harness itself (test-support/fuzz.ts): it must
// catch each way a reader can break the contract.
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import {
  brokenJsonText,
  byteCorruptions,
  deeplyNestedJson,
  duplicateNames,
  fuzzRuns,
  hostileFields,
  jsonWrongTypes,
  runFuzz,
  truncations,
  unknownVersions,
  type FileCase,
} from '../../../test-support/fuzz';

class TypedError extends Error {}
const valid = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
const layout = { regions: [{ name: 'head', start: 0, end: 4 }, { name: 'body', start: 4, end: 8 }], fields: [{ name: 'len', offset: 0, size: 4 as const, endian: 'be' as const }], magic: { offset: 0, length: 1 } };

/** A reader that accepts only the exact valid bytes. */
const strictReader = (c: FileCase): number => {
  if (c.kind !== 'bytes' || c.bytes.length !== 8 || c.bytes.some((b, i) => b !== valid[i])) throw new TypedError(`bad input: ${c.label}`);
  return 42;
};

describe('runFuzz', () => {
  it('passes a reader that keeps the contract and counts outcomes', async () => {
    const s = await runFuzz({ name: 'strict', reader: strictReader, generate: byteCorruptions(valid, layout), allowedErrors: [TypedError], numRuns: 100 });
    expect(s.runs).toBe(fuzzRuns(100));
    expect(s.ok + (s.errors.TypedError ?? 0)).toBe(s.runs);
    expect(s.ok).toBeGreaterThan(0);
  });

  it('fails on an untyped error, a multi-line message, garbage results, and a hang', async () => {
    const gen = byteCorruptions(valid, layout);
    await expect(runFuzz({ name: 'untyped', reader: () => { throw new RangeError('Invalid typed array length'); }, generate: gen, allowedErrors: [TypedError], numRuns: 5 })).rejects.toThrow(/untyped error RangeError/);
    await expect(runFuzz({ name: 'multiline', reader: () => { throw new TypedError('a\nb'); }, generate: gen, allowedErrors: [TypedError], numRuns: 5 })).rejects.toThrow(/one non-empty line/);
    await expect(runFuzz({ name: 'garbage', reader: () => -1, generate: gen, allowedErrors: [TypedError], validate: (r) => { if (r < 0) throw new Error('negative'); }, numRuns: 5 })).rejects.toThrow(/negative/);
    await expect(runFuzz({ name: 'hang', reader: () => new Promise<never>(() => undefined), generate: gen, allowedErrors: [TypedError], numRuns: 1, timeoutMs: 50 })).rejects.toThrow(/exceeded 50 ms/);
  });
});

describe('generators', () => {
  it('truncations stay inside their regions; hostile fields change the field', () => {
    fc.assert(fc.property(truncations(valid, layout), (c) => {
      expect(c.kind === 'bytes' && c.bytes.length < 8).toBe(true);
    }), { seed: 1, numRuns: 50 });
    fc.assert(fc.property(hostileFields(valid, layout), (c) => {
      expect(c.kind).toBe('bytes');
      if (c.kind === 'bytes') expect(Array.from(c.bytes.subarray(0, 4))).not.toEqual([1, 2, 3, 4]);
    }), { seed: 1, numRuns: 50 });
  });

  it('JSON generators produce what they promise', () => {
    const doc = { version: 1, tensors: [{ name: 'a', shape: [2] }, { name: 'b', shape: [3] }] };
    fc.assert(fc.property(jsonWrongTypes(doc), ({ doc: d }) => {
      expect(d).not.toEqual(doc);
    }), { seed: 1, numRuns: 50 });
    fc.assert(fc.property(unknownVersions(doc, ['version']), ({ doc: d }) => {
      expect((d as { version: unknown }).version).not.toBe(1);
    }), { seed: 1, numRuns: 20 });
    fc.assert(fc.property(duplicateNames(doc, ['tensors']), ({ doc: d }) => {
      const names = (d as typeof doc).tensors.map((t) => t.name);
      expect(new Set(names).size).toBe(1);
    }), { seed: 1, numRuns: 10 });
    fc.assert(fc.property(deeplyNestedJson(100, 200), ({ text }) => {
      expect(text.length).toBeGreaterThanOrEqual(200);
    }), { seed: 1, numRuns: 5 });
    fc.assert(fc.property(brokenJsonText(doc), ({ text }) => {
      let parsedEqual = false;
      try { parsedEqual = JSON.stringify(JSON.parse(text)) === JSON.stringify(doc); } catch { /* broken, as intended */ }
      expect(parsedEqual).toBe(false);
    }), { seed: 1, numRuns: 30 });
  });
});
