/**
 * A Vite plugin for the unlearning page's worker: Node's built-in modules resolve to one stub whose every export is
 * a function that throws. @metanet/nets and @metanet/data keep their file readers and writers (node:fs, node:path,
 * node:crypto) in the same modules as the code the page runs, and the page never calls them. Vite's own
 * browser-external stub exports no names, so rollup refuses `import { existsSync } from 'fs'` outright; this one
 * serves any name (rollup's syntheticNamedExports) and fails only if the page ever calls a Node API.
 */
import { builtinModules } from 'node:module';
import type { Plugin } from 'vite';

const STUB = '\0metanet-node-builtin-stub';
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** The plugin (use it in `vite.worker.plugins`). */
export function browserBuiltins(): Plugin {
  return {
    name: 'metanet-browser-builtins',
    enforce: 'pre',
    resolveId(id) {
      return BUILTINS.has(id) || BUILTINS.has(id.split('/')[0] as string) ? STUB : null;
    },
    load(id) {
      if (id !== STUB) return null;
      const code = `const unavailable = (name) => function () { throw new Error('Node API ' + String(name) + ' is not available in the browser'); };
export default new Proxy({}, { get: (_, name) => unavailable(name) });`;
      return { code, syntheticNamedExports: 'default' };
    },
  };
}
