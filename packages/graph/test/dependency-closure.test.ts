import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** The directory of `name` as Node resolves it from `fromDir`: the nearest node_modules/<name> up the tree. */
function resolvePackage(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Every installed package that `rootDir`'s package pulls in at run time (dependencies, optional and peer), by name. */
function installedClosure(rootDir: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (dir: string): void => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    const deps = { ...manifest.peerDependencies, ...manifest.optionalDependencies, ...manifest.dependencies };
    for (const name of Object.keys(deps)) {
      if (seen.has(name)) continue;
      const found = resolvePackage(name, dir);
      if (!found) {
        // A missing optional or peer dependency is not installed, so it cannot pull tfjs in.
        if (manifest.dependencies?.[name]) throw new Error(`${manifest.name} depends on ${name}, which is not installed; run npm ci`);
        continue;
      }
      seen.set(name, found);
      visit(found);
    }
  };
  visit(rootDir);
  return seen;
}

describe('dependency closure', () => {
  it('@metanet/graph installs no @tensorflow package, not even through a dependency', () => {
    const closure = installedClosure(join(__dirname, '..'));
    expect([...closure.keys()]).toContain('@metanet/spec');
    expect([...closure.keys()]).toContain('graphology');
    expect([...closure.keys()].filter((name) => name.startsWith('@tensorflow/'))).toEqual([]);
    expect([...closure.keys()].filter((name) => name.startsWith('@metanet/'))).toEqual(['@metanet/spec']);
  });
});
