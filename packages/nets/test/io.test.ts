import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '@metanet/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { architecture, bufferInfos } from '@metanet/spec';
import {
  forward,
  initBuffers,
  initParams,
  InvalidNetFileError,
  InvalidWeightsError,
  loadNet,
  NetsError,
  readBundle,
  readNet,
  saveNet,
  writeBundle,
  type BundleKind,
} from '../src/index';
import { setupBackend } from './support/backend';

beforeAll(async () => {
  await setupBackend();
});

const root = mkdtempSync(join(tmpdir(), 'nets-io-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const tmp = (): string => mkdtempSync(join(root, 'net-'));

function rewrite(dir: string, edit: (m: Record<string, unknown>) => void): void {
  const path = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(m);
  writeFileSync(path, JSON.stringify(m));
}

describe('saveNet / loadNet', () => {
  it('round-trips params, buffers and meta bit for bit and the function with it', () => {
    const spec = architecture('homework-cnn', { inputSize: 12 });
    const params = initParams(spec, { seed: 4 });
    const buffers = initBuffers(spec).map((b, k) => tf.add(b, k * 0.25));
    const dir = tmp();
    saveNet(dir, { spec, params, buffers, meta: { acc: 0.9 } });
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'weights.bin']);
    const net = loadNet(dir);
    expect(net.spec).toEqual(spec);
    expect(net.meta).toEqual({ acc: 0.9 });
    net.params.forEach((p, k) => expect(Array.from(p.dataSync())).toEqual(Array.from((params[k] as tf.Tensor).dataSync())));
    net.buffers.forEach((p, k) => expect(Array.from(p.dataSync())).toEqual(Array.from((buffers[k] as tf.Tensor).dataSync())));
    const x = tf.randomNormal([2, 12, 12, 1], 0, 1, 'float32', 1);
    expect(Array.from(forward(net.spec, net.params, x, { buffers: net.buffers }).dataSync())).toEqual(
      Array.from(forward(spec, params, x, { buffers }).dataSync()),
    );
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.format).toBe('metanet.net');
    expect(manifest.version).toBe(1);
    expect(manifest.tensors[0]).toEqual({ name: 'layers.0.weight', dtype: 'float32', shape: [32, 1, 3, 3], offset: 0, length: 32 * 9 * 4 });
  });

  it('writes little-endian float32', () => {
    const spec = architecture('mlp:2-1');
    const dir = tmp();
    saveNet(dir, { spec, params: [new Float32Array([1.5, -2]), new Float32Array([0.25])] });
    const b = readFileSync(join(dir, 'weights.bin'));
    expect(b.readFloatLE(0)).toBe(1.5);
    expect(b.readFloatLE(4)).toBe(-2);
    expect(b.readFloatLE(8)).toBe(0.25);
  });

  it('refuses to save non-finite values', () => {
    const spec = architecture('mlp:2-1');
    expect(() => saveNet(tmp(), { spec, params: [new Float32Array([NaN, 0]), new Float32Array([0])] })).toThrow(InvalidWeightsError);
  });

  describe('rejects corrupt files with typed one-line errors', () => {
    const spec = architecture('mlp:3-2');
    const fresh = (): string => {
      const dir = tmp();
      saveNet(dir, { spec, params: [new Float32Array(6).fill(0.5), new Float32Array([1, 2])] });
      return dir;
    };
    const expectTyped = (dir: string, pattern: RegExp, cls: typeof NetsError = NetsError): void => {
      let err: unknown;
      try {
        loadNet(dir);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(cls);
      expect((err as Error).message).toMatch(pattern);
      expect((err as Error).message).not.toContain('\n');
    };

    it('wrong version, wrong format', () => {
      let d = fresh();
      rewrite(d, (m) => (m.version = 2));
      expectTyped(d, /version 2 is not supported/, InvalidNetFileError);
      d = fresh();
      rewrite(d, (m) => (m.format = 'other'));
      expectTyped(d, /not a metanet net/);
    });

    it('mismatched shapes and names', () => {
      let d = fresh();
      rewrite(d, (m) => ((m.spec as { layers: { units: number }[] }).layers[0]!.units = 3));
      expectTyped(d, /shape|spans|match/);
      d = fresh();
      rewrite(d, (m) => ((m.tensors as { name: string }[])[1]!.name = 'layers.0.weight'));
      expectTyped(d, /twice/);
      d = fresh();
      rewrite(d, (m) => ((m.tensors as { name: string }[])[1]!.name = 'layers.9.bias'));
      expectTyped(d, /missing/, InvalidWeightsError);
    });

    it('offsets past the end, truncation, lying huge shapes', () => {
      let d = fresh();
      rewrite(d, (m) => ((m.tensors as { offset: number }[])[1]!.offset = 1 << 30));
      expectTyped(d, /spans bytes/);
      d = fresh();
      writeFileSync(join(d, 'weights.bin'), readFileSync(join(d, 'weights.bin')).subarray(0, 10));
      expectTyped(d, /truncated/);
      d = fresh();
      rewrite(d, (m) => {
        const t = (m.tensors as { shape: number[]; length: number }[])[0]!;
        t.shape = [1 << 20, 1 << 20];
      });
      expectTyped(d, /more than/);
    });

    it('NaN / Inf weights with a consistent checksum → InvalidWeightsError', () => {
      const d = fresh();
      const b = readFileSync(join(d, 'weights.bin'));
      b.writeFloatLE(Infinity, 8);
      writeFileSync(join(d, 'weights.bin'), b);
      rewrite(d, (m) => ((m.weights as { sha256: string }).sha256 = createHash('sha256').update(b).digest('hex')));
      expectTyped(d, /non-finite value \(Infinity\)/, InvalidWeightsError);
    });

    it('flipped payload byte → checksum error; missing dir; file instead of dir', () => {
      const d = fresh();
      const b = readFileSync(join(d, 'weights.bin'));
      b[3] = (b[3] as number) ^ 0x10;
      writeFileSync(join(d, 'weights.bin'), b);
      expectTyped(d, /sha256/);
      expectTyped(join(d, 'nope'), /no such directory/);
      expectTyped(join(d, 'weights.bin'), /not a directory/);
    });

    it('strict: false ignores extra tensors and fills missing buffers', () => {
      const bn = architecture('resnet-mini', { width: 2, inputSize: 8 });
      const d = tmp();
      saveNet(d, { spec: bn, params: initParams(bn) });
      rewrite(d, (m) => {
        const ts = m.tensors as { name: string }[];
        ts.splice(ts.findIndex((t) => t.name.endsWith('running_var')), 1);
      });
      expect(() => loadNet(d)).toThrow(/missing/);
      const net = readNet(d, { strict: false });
      expect(net.buffers).toHaveLength(bufferInfos(bn).length);
      expect(Array.from(net.buffers[1] as Float32Array).every((v) => v === 1)).toBe(true);
    });
  });
});

describe('writeBundle / readBundle with another kind (the one format behind nets and GMNs)', () => {
  const kind: BundleKind = { format: 'metanet.test', version: 3, body: 'config', what: 'test bundle', saver: 'saveTest', maxManifestBytes: 1 << 16 };

  it('stores the description under the kind\'s key and reads it back; a net reader refuses it, and it refuses a net', () => {
    const d = tmp();
    const tensors = [{ name: 'w', shape: [2, 2], data: Float32Array.from([1, -2, 3.5, 0]) }];
    const m = writeBundle(d, { width: 2 }, tensors, { note: 'x' }, kind);
    expect(Object.keys(JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')))).toEqual(['format', 'version', 'config', 'tensors', 'weights', 'meta']);
    const back = readBundle(d, kind);
    expect(back.manifest.config).toEqual({ width: 2 });
    expect(back.manifest.meta).toEqual({ note: 'x' });
    expect(Array.from(back.tensors.get('w')!.data)).toEqual([1, -2, 3.5, 0]);
    expect(m.weights.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(() => loadNet(d)).toThrow(/expected "metanet.net"; not a metanet net/);
    const net = tmp();
    saveNet(net, { spec: architecture('mlp:3-2'), params: initParams(architecture('mlp:3-2')) });
    expect(() => readBundle(net, kind)).toThrow(/not a metanet test bundle/);
    expect(() => readBundle(join(d, 'absent'), kind)).toThrow(/missing; pass the directory saveTest wrote/);
  });
});
