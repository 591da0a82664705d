import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';

/** Every file of a zoo directory, by relative path. */
export function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** Asserts two zoo directories hold the same files with the same bytes. */
export function expectSameZoo(a: string, b: string): void {
  const x = snapshot(a);
  const y = snapshot(b);
  expect([...y.keys()].sort()).toEqual([...x.keys()].sort());
  for (const [k, v] of x) expect(y.get(k)?.equals(v), k).toBe(true);
}

