import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paramInfos, SpecError } from '@metanet/spec';
import { byteCorruptions, fuzzTempDir, materialise, runFuzz, type FileCase } from '../../../../test-support/fuzz';
import { loadOnnx, NetsError, type OnnxImport } from './fixtures';

const tmp = fuzzTempDir('nets-fuzz-onnx-');
afterAll(() => tmp.cleanup());

describe('fuzz: ONNX', () => {
  it('every case ends in a typed one-line error or a net whose params fit its spec', async () => {
    // The residual CNN: initializers, Conv/Relu/Add nodes and the residual pattern all get corrupted.
    const valid = new Uint8Array(readFileSync(join(__dirname, '..', 'fixtures', 'onnx', 'rescnn.onnx')));
    const summary = await runFuzz<FileCase, OnnxImport>({
      name: 'onnx',
      generate: byteCorruptions(valid, { regions: [{ name: 'model', start: 0, end: valid.length }] }),
      reader: (c) => loadOnnx(materialise(tmp.dir, c, 'model.onnx')),
      allowedErrors: [NetsError, SpecError],
      validate: (net) => {
        const infos = paramInfos(net.spec);
        expect(net.params).toHaveLength(infos.length);
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
