import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { paramInfos, SpecError } from '@metanet/spec';
import {
  brokenJsonText,
  byteCorruptions,
  deeplyNestedJson,
  duplicateNames,
  fuzzTempDir,
  jsonWrongTypes,
  runFuzz,
  type FileCase,
  type Json,
} from '../../../../test-support/fuzz';
import { sampleKerasCnn } from '../support/keras';
import { loadLayersModel, NetsError, type LayersModelImport } from './fixtures';

const tmp = fuzzTempDir('nets-fuzz-keras-');
afterAll(() => tmp.cleanup());
let n = 0;

interface KerasCase {
  label: string;
  json: { kind: 'doc'; doc: Json } | { kind: 'text'; text: string };
  shard: FileCase;
}

describe('fuzz: tf.LayersModel JSON', () => {
  it('every case ends in a typed one-line error or a valid import', async () => {
    const a = sampleKerasCnn(2);
    const doc = a.json as unknown as Json;
    const shard: FileCase = { label: 'valid shard', kind: 'bytes', bytes: a.weights };
    const docCase = (label: string, d: Json, s: FileCase = shard): KerasCase => ({ label, json: { kind: 'doc', doc: d }, shard: s });
    const textCase = (label: string, text: string): KerasCase => ({ label, json: { kind: 'text', text }, shard });
    const generate = fc.oneof(
      fc.constant(docCase('valid', doc)),
      jsonWrongTypes(doc).map((c) => docCase(c.label, c.doc)),
      jsonWrongTypes(doc).map((c) => docCase(c.label, c.doc)),
      jsonWrongTypes(doc).map((c) => docCase(c.label, c.doc)),
      duplicateNames(doc, ['weightsManifest', 0, 'weights']).map((c) => docCase(c.label, c.doc)),
      deeplyNestedJson(1_000, 20_000).map((c) => textCase(c.label, c.text)),
      brokenJsonText(doc).map((c) => textCase(c.label, c.text)),
      byteCorruptions(a.weights, { regions: [{ name: 'weights', start: 0, end: a.weights.length }] }).map((s) => docCase(`shard: ${s.label}`, doc, s)),
    );
    const summary = await runFuzz<KerasCase, LayersModelImport>({
      name: 'tf.LayersModel JSON',
      generate,
      reader: (c) => {
        const dir = join(tmp.dir, `case-${n++}`);
        mkdirSync(dir);
        writeFileSync(join(dir, 'model.json'), c.json.kind === 'doc' ? JSON.stringify(c.json.doc) : c.json.text);
        if (c.shard.kind === 'directory') mkdirSync(join(dir, 'group1-shard1of1.bin'));
        else writeFileSync(join(dir, 'group1-shard1of1.bin'), c.shard.bytes);
        return loadLayersModel(dir);
      },
      allowedErrors: [NetsError, SpecError],
      validate: (net) => {
        const infos = paramInfos(net.spec);
        expect(net.params).toHaveLength(infos.length);
        net.params.forEach((p, k) => {
          expect(p.length).toBe(infos[k]!.shape.reduce((x, y) => x * y, 1));
          expect(p.every(Number.isFinite)).toBe(true);
        });
      },
    });
    console.log(JSON.stringify(summary));
    expect(summary.ok).toBeGreaterThan(0);
  });
});
