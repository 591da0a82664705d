import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('@metanet/nets/spec stays tfjs-free', () => {
  it('no file under src/spec imports tfjs or @metanet/tensor', () => {
    const dir = join(__dirname, '../../src/spec');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(4);
    for (const f of files) {
      const src = readFileSync(join(dir, f), 'utf8');
      const imports = [...src.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1] as string);
      for (const imp of imports) expect(imp, `${f} imports ${imp}`).toMatch(/^\.\//);
    }
  });
});
