import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json } from '../../../../test-support/fuzz';

export * from '../../src/index';

/** The manifest (as JSON) and weights bytes of a saved net. */
export function encodeForTest(dir: string): { manifest: Json; weights: Uint8Array } {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Json;
  const b = readFileSync(join(dir, 'weights.bin'));
  return { manifest, weights: new Uint8Array(b.buffer, b.byteOffset, b.byteLength) };
}
