import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { initBackend } from '@metanet/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  byteCorruptions,
  brokenJsonText,
  deeplyNestedJson,
  duplicateNames,
  fuzzTempDir,
  hostileNumbers,
  jsonWrongTypes,
  runFuzz,
  unknownVersions,
  type FileCase,
  type Json,
} from '../../../../test-support/fuzz';
import { GMN, GMN_VERSION, MpnnError, readGMN, saveGMN, type SavedGMN } from '../../src/index';

const tmp = fuzzTempDir('mpnn-fuzz-gmn-');
let n = 0;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
afterAll(() => tmp.cleanup());

interface GmnCase {
  label: string;
  manifest: { kind: 'json'; doc: Json } | { kind: 'text'; text: string } | { kind: 'directory' };
  weights: FileCase;
}

describe('fuzz: saved GMN (manifest.json + weights.bin)', () => {
  it('every case ends in a typed one-line error or a valid model', async () => {
    const src = join(tmp.dir, 'valid');
    const model = new GMN({ hidden: 4, globalHidden: 3, layers: 1, graphOutputs: 2, edgeOutputs: 1, seed: 2 });
    saveGMN(src, model);
    model.dispose();
    const manifest = JSON.parse(readFileSync(join(src, 'manifest.json'), 'utf8')) as Json;
    const weights = new Uint8Array(readFileSync(join(src, 'weights.bin')));
    const withoutSha = structuredClone(manifest) as { weights: Record<string, Json> };
    delete withoutSha.weights.sha256;
    const tensors = (manifest as { tensors: Json[] }).tensors;
    const regions = tensors.map((t, k) => {
      const e = t as { offset: number; length: number };
      return { name: `tensor ${k}`, start: e.offset, end: e.offset + e.length };
    });
    const validWeights: FileCase = { label: 'valid weights', kind: 'bytes', bytes: weights };
    const jsonCase = (label: string, doc: Json, w: FileCase = validWeights): GmnCase => ({ label, manifest: { kind: 'json', doc }, weights: w });

    const nonFinite = fc.tuple(fc.nat({ max: weights.length / 4 - 1 }), fc.constantFrom(NaN, Infinity, -Infinity)).map(([k, v]) => {
      const b = weights.slice();
      new DataView(b.buffer).setFloat32(4 * k, v, true);
      const doc = structuredClone(manifest) as { weights: Record<string, Json> };
      doc.weights.sha256 = createHash('sha256').update(b).digest('hex');
      return jsonCase(`${v} at float ${k}`, doc as Json, { label: 'non-finite', kind: 'bytes', bytes: b });
    });
    const hostileTable = fc
      .tuple(fc.nat({ max: tensors.length - 1 }), fc.constantFrom('offset', 'length', 'dim'), hostileNumbers(8, 16n, weights.length))
      .map(([k, field, v]) => {
        const doc = structuredClone(manifest) as { tensors: Record<string, Json>[] };
        const t = doc.tensors[k]!;
        const value = Number(v);
        if (field === 'dim') (t.shape as number[])[0] = value;
        else t[field] = value;
        return jsonCase(`tensors[${k}].${field} = ${value}`, doc as Json);
      });
    /** A config asking for a huge model: must be refused from the table, before any allocation. */
    const hugeConfig = fc.constantFrom<[string, number]>(['hidden', 4096], ['layers', 64], ['mlpLayers', 16], ['graphOutputs', 65536]).map(([k, v]) => {
      const doc = structuredClone(manifest) as { config: Record<string, Json> };
      doc.config[k] = v;
      return jsonCase(`config.${k} = ${v}`, doc as Json);
    });
    const dtypeMismatch = fc.nat({ max: tensors.length - 1 }).map((k) => {
      const doc = structuredClone(manifest) as { tensors: Record<string, Json>[] };
      doc.tensors[k]!.dtype = 'float64';
      return jsonCase(`tensors[${k}].dtype = float64`, doc as Json);
    });

    const generate: fc.Arbitrary<GmnCase> = fc.oneof(
      fc.constant(jsonCase('valid', manifest)),
      jsonWrongTypes(manifest).map((c) => jsonCase(c.label, c.doc)),
      jsonWrongTypes(manifest).map((c) => jsonCase(c.label, c.doc)),
      unknownVersions(manifest, ['version']).map((c) => jsonCase(c.label, c.doc)),
      duplicateNames(manifest, ['tensors']).map((c) => jsonCase(c.label, c.doc)),
      deeplyNestedJson(1_000, 20_000).map((c) => ({ label: c.label, manifest: { kind: 'text' as const, text: c.text }, weights: validWeights })),
      brokenJsonText(manifest).map((c) => ({ label: c.label, manifest: { kind: 'text' as const, text: c.text }, weights: validWeights })),
      fc.constant<GmnCase>({ label: 'manifest is a directory', manifest: { kind: 'directory' }, weights: validWeights }),
      fc.constant<GmnCase>({ label: 'weights is a directory', manifest: { kind: 'json', doc: manifest }, weights: { label: 'dir', kind: 'directory' } }),
      fc.constant<GmnCase>({ label: 'empty manifest', manifest: { kind: 'text', text: '' }, weights: validWeights }),
      byteCorruptions(weights, { regions }).map((w) => jsonCase(`weights: ${w.label}`, manifest, w)),
      byteCorruptions(weights, { regions }).map((w) => jsonCase(`weights (no sha): ${w.label}`, withoutSha as Json, w)),
      nonFinite,
      hostileTable,
      hugeConfig,
      dtypeMismatch,
    );

    const summary = await runFuzz<GmnCase, SavedGMN>({
      name: 'saved GMN',
      generate,
      reader: (c) => {
        const dir = join(tmp.dir, `case-${n++}`);
        mkdirSync(dir);
        if (c.manifest.kind === 'directory') mkdirSync(join(dir, 'manifest.json'));
        else writeFileSync(join(dir, 'manifest.json'), c.manifest.kind === 'json' ? JSON.stringify(c.manifest.doc) : c.manifest.text);
        if (c.weights.kind === 'directory') mkdirSync(join(dir, 'weights.bin'));
        else writeFileSync(join(dir, 'weights.bin'), c.weights.bytes);
        return readGMN(dir);
      },
      allowedErrors: [MpnnError],
      validate: (saved) => {
        const shapes = GMN.parameterShapes(saved.config);
        expect([...saved.weights.keys()]).toEqual([...shapes.keys()]);
        for (const [name, w] of saved.weights) {
          expect(w.shape).toEqual(shapes.get(name));
          expect(w.data.every(Number.isFinite)).toBe(true);
        }
      },
    });
    console.log(JSON.stringify(summary));
    expect(summary.ok).toBeGreaterThan(0);
    expect(GMN_VERSION).toBe(1);
  });
});
