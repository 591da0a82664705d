/**
 * Every custom kernel lives in @metanet/tensor's one registration list; the packages above it
 * only call ops. `kernelRegistrations(packageDir)` lists the files of a package's source and
 * built dist that register a kernel or a gradient themselves, so a package test can assert it
 * is empty.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const REGISTERS = /\b(?:un)?register(?:Kernel|Gradient)\b/;

function offenders(dir: string, ext: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => ext.test(f))
    .filter((f) => REGISTERS.test(readFileSync(join(dir, f), 'utf8')))
    .map((f) => join(dir, f));
}

/** Source files read, and the files of src/ and dist/ that call (un)registerKernel or (un)registerGradient. */
export function kernelRegistrations(packageDir: string): { sourceFiles: number; offenders: string[] } {
  const src = join(packageDir, 'src');
  return {
    sourceFiles: readdirSync(src, { recursive: true }).length,
    offenders: [...offenders(src, /\.ts$/), ...offenders(join(packageDir, 'dist'), /\.(?:c?js|d\.c?ts)$/)],
  };
}
