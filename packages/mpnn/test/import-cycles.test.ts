import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every relative import and re-export of a file, type-only ones included (they tie files together too). */
function localImports(file: string, root: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)].map((m) => m[1]!);
  return specs.map((s) => {
    const base = resolve(dirname(file), s);
    const hit = [`${base}.ts`, join(base, 'index.ts'), base].find((p) => existsSync(p) && statSync(p).isFile());
    if (hit === undefined) throw new Error(`${relative(root, file)}: cannot resolve '${s}'`);
    return hit;
  });
}

/** The import cycles among the files under root, one sorted list of files per strongly connected component (Tarjan). */
function importCycles(root: string): string[][] {
  const files = sourceFiles(root);
  const edges = new Map(files.map((f) => [f, localImports(f, root)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (f: string) => {
    index.set(f, index.size);
    low.set(f, index.get(f)!);
    stack.push(f);
    for (const g of edges.get(f) ?? []) {
      if (!index.has(g)) {
        visit(g);
        low.set(f, Math.min(low.get(f)!, low.get(g)!));
      } else if (stack.includes(g)) low.set(f, Math.min(low.get(f)!, index.get(g)!));
    }
    if (low.get(f) !== index.get(f)) return;
    const component: string[] = [];
    let g: string;
    do {
      g = stack.pop()!;
      component.push(relative(root, g));
    } while (g !== f);
    if (component.length > 1 || (edges.get(f) ?? []).includes(f)) cycles.push(component.sort());
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return cycles;
}

describe('src/ imports', () => {
  test('form no cycle, type-only imports included', () => {
    expect(importCycles(SRC)).toEqual([]);
  });

  test('the check finds a cycle closed by a type-only import, through a folder index', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpnn-cycles-'));
    try {
      mkdirSync(join(dir, 'steps'));
      writeFileSync(join(dir, 'model.ts'), "import { run } from './steps';\nexport class Model {}\n");
      writeFileSync(join(dir, 'steps', 'index.ts'), "import type {\n  Model,\n} from '../model';\nexport const run = (m: Model) => m;\n");
      writeFileSync(join(dir, 'user.ts'), "import { Model } from './model';\nexport const m = new Model();\n");
      expect(importCycles(dir)).toEqual([['model.ts', join('steps', 'index.ts')]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
