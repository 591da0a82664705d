import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

describe('bundle', () => {
  it('@metanet/graph bundles without any tfjs module', async () => {
    const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      conditions: ['source'],
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((p) => p.includes('nets/src/spec'))).toBe(true); // the spec subpath is really in
    expect(inputs.filter((p) => p.includes('@tensorflow'))).toEqual([]);
    expect(inputs.filter((p) => p.includes('packages/tensor') || p.includes('nets/src/forward'))).toEqual([]);
  });
});
