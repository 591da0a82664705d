import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

describe('bundle', () => {
  it('@metanet/graph bundles without any tfjs module', async () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const result = await build({
      absWorkingDir: root,
      entryPoints: ['src/index.ts'],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      conditions: ['source'],
      logLevel: 'silent',
    });
    // Metafile paths are relative to absWorkingDir; absolute ones make the package checks below mean what they say.
    const inputs = Object.keys(result.metafile.inputs).map((p) => resolve(root, p));
    expect(inputs.some((p) => p.includes('/packages/spec/src/'))).toBe(true); // @metanet/spec is really in
    expect(inputs.filter((p) => p.includes('@tensorflow'))).toEqual([]);
    expect(inputs.filter((p) => p.includes('/packages/tensor/') || p.includes('/packages/nets/'))).toEqual([]);
  });
});
