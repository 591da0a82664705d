import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brokenJsonText, deeplyNestedJson, jsonWrongTypes, runFuzz, unknownVersions, type Json } from '../../../../test-support/fuzz';
import { architecture, countParams, inferShapes, parseSpec, SpecError, type NetSpec } from '../../src/index';

describe('fuzz: NetSpec JSON', () => {
  it('every case ends in a typed one-line error or a spec whose shapes and counts compute', async () => {
    const docs = ['homework-cnn', 'resnet-mini', 'mlp:784-64-32-10'].map((a) => architecture(a) as unknown as Json);
    const attention = { version: 1, input: [4, 8], layers: [{ type: 'attention', heads: 2 }, { type: 'layernorm' }, { type: 'flatten' }, { type: 'dense', units: 3 }] } as Json;
    const hugeDims = fc.tuple(fc.constantFrom(2 ** 31, 2 ** 20, 2 ** 53, -1, 0, 1.5), fc.nat({ max: 2 })).map(([d, k]) => {
      const doc = structuredClone(docs[0]) as { input: number[]; layers: Record<string, Json>[] };
      if (k === 2) (doc.layers[0] as Record<string, Json>).filters = d;
      else doc.input[k] = d;
      return JSON.stringify(doc);
    });
    const text = fc.oneof(
      fc.constantFrom(...docs, attention).map((d) => JSON.stringify(d)),
      ...docs.map((d) => jsonWrongTypes(d).map((c) => JSON.stringify(c.doc))),
      jsonWrongTypes(attention).map((c) => JSON.stringify(c.doc)),
      unknownVersions(docs[0] as Json, ['version']).map((c) => JSON.stringify(c.doc)),
      deeplyNestedJson(1_000, 50_000).map((c) => c.text),
      brokenJsonText(docs[1] as Json).map((c) => c.text),
      hugeDims,
      fc.json({ maxDepth: 4 }),
    );
    const summary = await runFuzz<string, NetSpec>({
      name: 'NetSpec JSON',
      generate: text,
      reader: parseSpec,
      allowedErrors: [SpecError],
      validate: (spec) => {
        expect(inferShapes(spec)).toHaveLength(spec.layers.length);
        expect(Number.isSafeInteger(countParams(spec))).toBe(true);
      },
    });
    console.log(JSON.stringify(summary));
    expect(summary.ok).toBeGreaterThan(0);
  });
});
