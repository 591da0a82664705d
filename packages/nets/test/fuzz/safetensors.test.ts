import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { architecture, paramInfos, SpecError } from '@metanet/spec';
import {
  byteCorruptions,
  fuzzTempDir,
  jsonWrongTypes,
  materialise,
  runFuzz,
  type FileCase,
  type Json,
} from '../../../../test-support/fuzz';
import { exportSafetensors, initParamArrays, loadSafetensors, NetsError, type ImportedNet } from './fixtures';

const tmp = fuzzTempDir('nets-fuzz-st-');
afterAll(() => tmp.cleanup());

function withHeader(header: Json, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('fuzz: safetensors', () => {
  it('every case ends in a typed one-line error or valid weights', async () => {
    const spec = architecture('resnet-mini', { width: 2, inputSize: 8 });
    const valid = exportSafetensors(spec, initParamArrays(spec, { seed: 1 }));
    const n = Number(new DataView(valid.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(valid.subarray(8, 8 + n))) as Json;
    const data = valid.subarray(8 + n);
    const layout = {
      regions: [
        { name: 'header length', start: 0, end: 8 },
        { name: 'header json', start: 8, end: 8 + n },
        { name: 'data', start: 8 + n, end: valid.length },
      ],
      fields: [{ name: 'header length', offset: 0, size: 8 as const, endian: 'le' as const }],
      headerEnd: 8 + n,
    };
    const jsonLevel = jsonWrongTypes(header).map((c): FileCase => ({ label: c.label, kind: 'bytes', bytes: withHeader(c.doc, data) }));
    const nonFinite = fc.tuple(fc.nat({ max: data.length / 4 - 1 }), fc.constantFrom(NaN, Infinity, -Infinity)).map(([k, v]): FileCase => {
      const b = valid.slice();
      new DataView(b.buffer).setFloat32(8 + n + 4 * k, v, true);
      return { label: `${v} at float ${k}`, kind: 'bytes', bytes: b };
    });
    const summary = await runFuzz<FileCase, ImportedNet>({
      name: 'safetensors',
      generate: fc.oneof(byteCorruptions(valid, layout), jsonLevel, jsonLevel, nonFinite),
      reader: (c) => loadSafetensors(materialise(tmp.dir, c, 'w.safetensors'), spec),
      allowedErrors: [NetsError, SpecError],
      validate: (net) => {
        const infos = paramInfos(spec);
        net.params.forEach((p, k) => {
          expect(p.length).toBe(infos[k]!.shape.reduce((a, b) => a * b, 1));
          expect(p.every(Number.isFinite)).toBe(true);
        });
      },
    });
    console.log(JSON.stringify(summary));
    expect(summary.ok).toBeGreaterThan(0);
  });
});
