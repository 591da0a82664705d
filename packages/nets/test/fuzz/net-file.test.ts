import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { tf } from '@metanet/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { architecture, paramInfos, SpecError } from '@metanet/spec';
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
import { encodeForTest, initParamArrays, loadNet, NetsError, saveNet, type LoadedNet } from './fixtures';
import { setupBackend } from '../support/backend';

const tmp = fuzzTempDir('nets-fuzz-net-');
let n = 0;

beforeAll(async () => {
  await setupBackend();
});
afterAll(() => tmp.cleanup());

interface NetCase {
  label: string;
  manifest: { kind: 'json'; doc: Json } | { kind: 'text'; text: string } | { kind: 'directory' };
  weights: FileCase;
}

describe('fuzz: net manifest.json + weights.bin', () => {
  it('every case ends in a typed one-line error or a valid net', async () => {
    const spec = architecture('homework-cnn', { inputSize: 8 });
    const src = join(tmp.dir, 'valid');
    saveNet(src, { spec, params: initParamArrays(spec, { seed: 1 }) });
    const { manifest, weights } = encodeForTest(src);
    const withoutSha = structuredClone(manifest) as { weights: Record<string, Json> };
    delete withoutSha.weights.sha256;
    const tensors = (manifest as { tensors: Json[] }).tensors;
    const regions = tensors.map((t, k) => {
      const e = t as { offset: number; length: number };
      return { name: `tensor ${k}`, start: e.offset, end: e.offset + e.length };
    });
    const validWeights: FileCase = { label: 'valid weights', kind: 'bytes', bytes: weights };
    const jsonCase = (label: string, doc: Json, w: FileCase = validWeights): NetCase => ({ label, manifest: { kind: 'json', doc }, weights: w });

    /** A non-finite value written into the payload with a consistent checksum: only the value check can catch it. */
    const nonFinite = fc.tuple(fc.nat({ max: weights.length / 4 - 1 }), fc.constantFrom(NaN, Infinity, -Infinity)).map(([k, v]) => {
      const b = weights.slice();
      new DataView(b.buffer).setFloat32(4 * k, v, true);
      const doc = structuredClone(manifest) as { weights: Record<string, Json> };
      doc.weights.sha256 = createHash('sha256').update(b).digest('hex');
      return jsonCase(`${v} at float ${k}`, doc as Json, { label: 'nan', kind: 'bytes', bytes: b });
    });
    /** Offsets, lengths and dims set to values that overflow or point past the end. */
    const hostileTable = fc.tuple(fc.nat({ max: tensors.length - 1 }), fc.constantFrom('offset', 'length', 'dim'), hostileNumbers(8, 16n, weights.length)).map(([k, field, v]) => {
      const doc = structuredClone(manifest) as { tensors: Record<string, Json>[] };
      const t = doc.tensors[k] as Record<string, Json>;
      const value = Number(v);
      if (field === 'dim') (t.shape as number[])[0] = value;
      else t[field] = value;
      return jsonCase(`tensors[${k}].${field} = ${value}`, doc as Json);
    });

    const generate: fc.Arbitrary<NetCase> = fc.oneof(
      fc.constant(jsonCase('valid', manifest)),
      jsonWrongTypes(manifest).map((c) => jsonCase(c.label, c.doc)),
      jsonWrongTypes(manifest).map((c) => jsonCase(c.label, c.doc)),
      unknownVersions(manifest, ['version']).map((c) => jsonCase(c.label, c.doc)),
      duplicateNames(manifest, ['tensors']).map((c) => jsonCase(c.label, c.doc)),
      deeplyNestedJson(1_000, 20_000).map((c) => ({ label: c.label, manifest: { kind: 'text' as const, text: c.text }, weights: validWeights })),
      brokenJsonText(manifest).map((c) => ({ label: c.label, manifest: { kind: 'text' as const, text: c.text }, weights: validWeights })),
      fc.constant<NetCase>({ label: 'manifest is a directory', manifest: { kind: 'directory' }, weights: validWeights }),
      byteCorruptions(weights, { regions }).map((w) => jsonCase(`weights: ${w.label}`, manifest, w)),
      byteCorruptions(weights, { regions }).map((w) => jsonCase(`weights (no sha): ${w.label}`, withoutSha as Json, w)),
      nonFinite,
      hostileTable,
    );

    const summary = await runFuzz<NetCase, LoadedNet>({
      name: 'net manifest.json + weights.bin',
      generate,
      reader: (c) => {
        const dir = join(tmp.dir, `case-${n++}`);
        mkdirSync(dir);
        if (c.manifest.kind === 'directory') mkdirSync(join(dir, 'manifest.json'));
        else writeFileSync(join(dir, 'manifest.json'), c.manifest.kind === 'json' ? JSON.stringify(c.manifest.doc) : c.manifest.text);
        if (c.weights.kind === 'directory') mkdirSync(join(dir, 'weights.bin'));
        else writeFileSync(join(dir, 'weights.bin'), c.weights.bytes);
        return loadNet(dir);
      },
      allowedErrors: [NetsError, SpecError],
      validate: (net) => {
        const infos = paramInfos(net.spec);
        expect(net.params.map((p) => p.shape)).toEqual(infos.map((i) => i.shape));
        for (const p of net.params) expect(tf.all(tf.isFinite(p)).dataSync()[0]).toBe(1);
      },
      dispose: (net) => tf.dispose([...net.params, ...net.buffers]),
    });
    console.log(JSON.stringify(summary));
    expect(summary.ok).toBeGreaterThan(0);
    expect(Object.keys(summary.errors).length).toBeGreaterThan(0);
  });
});
