import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };

/** Every .ts file under `dir`, as paths relative to it. */
function sources(dir: string, sub = ''): string[] {
  return readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(dir, join(sub, e.name)) : e.name.endsWith('.ts') ? [join(sub, e.name)] : [],
  );
}

describe('@metanet/spec stays free of tfjs and of every other package', () => {
  it('no file under src imports anything but another file of this package', () => {
    const dir = join(__dirname, '../src');
    const files = sources(dir);
    expect(files.length).toBeGreaterThan(4);
    for (const f of files) {
      const src = readFileSync(join(dir, f), 'utf8');
      const imports = [...src.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1] as string);
      for (const imp of imports) expect(imp, `${f} imports ${imp}`).toMatch(/^\.\.?\//);
    }
  });

  it('package.json declares no dependencies', () => {
    const p = pkg as { dependencies?: Record<string, string>; peerDependencies?: Record<string, string> };
    expect(p.dependencies ?? {}).toEqual({});
    expect(p.peerDependencies ?? {}).toEqual({});
  });
});
