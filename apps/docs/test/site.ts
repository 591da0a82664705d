/** The built site's directory, building it first when absent (turbo normally builds before testing). */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of apps/docs. */
export const DOCS_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Absolute path of the built site. */
export const DIST = fileURLToPath(new URL('../.vitepress/dist', import.meta.url));

/** Makes sure the site is built; returns the seconds a build took (0 when one was present). */
export function ensureBuilt(): number {
  if (existsSync(`${DIST}/explorer.html`)) return 0;
  const t0 = performance.now();
  execFileSync('npm', ['run', 'build'], { cwd: DOCS_ROOT, stdio: 'inherit' });
  return (performance.now() - t0) / 1000;
}
