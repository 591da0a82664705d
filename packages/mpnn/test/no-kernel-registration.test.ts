import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every custom kernel lives in @metanet/tensor's one registration list; this package only calls ops.
const REGISTERS = /\b(?:un)?register(?:Kernel|Gradient)\b/;

function offenders(dir: string, ext: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => ext.test(f))
    .filter((f) => REGISTERS.test(readFileSync(join(dir, f), 'utf8')));
}

describe('@metanet/mpnn registers no kernels', () => {
  it('no source file, and no file of the built dist, calls registerKernel or registerGradient', () => {
    const root = join(__dirname, '..');
    expect(readdirSync(join(root, 'src'), { recursive: true }).length).toBeGreaterThan(5);
    expect(offenders(join(root, 'src'), /\.ts$/)).toEqual([]);
    expect(offenders(join(root, 'dist'), /\.(?:c?js|d\.c?ts)$/)).toEqual([]);
  });
});
