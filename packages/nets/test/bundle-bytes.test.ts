import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { architecture } from '@metanet/spec';
import { initParamArrays, InvalidNetFileError, InvalidWeightsError, NET_BUNDLE, readBundle, readBundleBytes, saveNet, type BundleKind } from '../src/index';

const root = mkdtempSync(join(tmpdir(), 'nets-bundle-bytes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function saved(): { dir: string; text: string; bytes: Uint8Array } {
  const dir = mkdtempSync(join(root, 'net-'));
  const spec = architecture('small-cnn', { inChannels: 1, inputSize: 8, classes: 3 });
  saveNet(dir, { spec, params: initParamArrays(spec, { seed: 3 }) });
  return { dir, text: readFileSync(join(dir, 'manifest.json'), 'utf8'), bytes: new Uint8Array(readFileSync(join(dir, 'weights.bin'))) };
}

describe('readBundleBytes: a bundle from its files\' contents', () => {
  it('reads the same manifest and the same bits as readBundle from the directory', async () => {
    const { dir, text, bytes } = saved();
    const fromDisk = readBundle(dir);
    const fromBytes = await readBundleBytes(text, bytes.slice().buffer, NET_BUNDLE, 'fetched');
    expect(fromBytes.manifest).toEqual(fromDisk.manifest);
    expect([...fromBytes.tensors.keys()]).toEqual([...fromDisk.tensors.keys()]);
    for (const [name, t] of fromDisk.tensors) {
      const u = fromBytes.tensors.get(name)!;
      expect(u.shape).toEqual(t.shape);
      expect(Buffer.from(u.data.buffer).equals(Buffer.from(t.data.buffer))).toBe(true);
    }
  });

  it('refuses what readBundle refuses, with the same error classes, prefixed by where', async () => {
    const { text, bytes } = saved();
    const flipped = bytes.slice();
    flipped[5] = (flipped[5] as number) ^ 0x08;
    await expect(readBundleBytes(text, flipped, NET_BUNDLE, 'https://x/net')).rejects.toThrow(InvalidNetFileError);
    await expect(readBundleBytes(text, flipped, NET_BUNDLE, 'https://x/net')).rejects.toThrow(/^https:\/\/x\/net: weights.bin does not match the sha256/);
    await expect(readBundleBytes(text, bytes.subarray(0, bytes.length - 4))).rejects.toThrow(/the bundle: weights.bin has \d+ bytes but the manifest expects/);
    await expect(readBundleBytes('{"format":', bytes)).rejects.toThrow(/manifest.json is not valid JSON/);
    const other: BundleKind = { ...NET_BUNDLE, format: 'metanet.other', what: 'other thing' };
    await expect(readBundleBytes(text, bytes, other)).rejects.toThrow(/not a metanet other thing/);

    // A non-finite value under a matching checksum is a weights error, as from disk.
    const inf = bytes.slice();
    new DataView(inf.buffer).setFloat32(8, Infinity, true);
    const m = JSON.parse(text) as { weights: { sha256: string } };
    m.weights.sha256 = createHash('sha256').update(inf).digest('hex');
    await expect(readBundleBytes(JSON.stringify(m), inf)).rejects.toThrow(InvalidWeightsError);
  });
});
