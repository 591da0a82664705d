/**
 * Internal link check over the built HTML: every same-site href and src resolves to a file of the site.
 * VitePress's own check covers Markdown links; this one also covers the theme, the API pages and assets.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveSitePath } from './serve';
import { DIST, ensureBuilt } from './site';

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? htmlFiles(join(dir, d.name)) : d.name.endsWith('.html') ? [join(dir, d.name)] : []));
}

describe('internal links', () => {
  beforeAll(() => {
    ensureBuilt();
  });

  it('every internal href and src of every page resolves', () => {
    const pages = htmlFiles(DIST);
    expect(pages.length).toBeGreaterThan(50);
    const dead: string[] = [];
    let checked = 0;
    // Pages share most links (sidebar, nav, assets): resolve each distinct path once.
    const resolved = new Map<string, boolean>();
    for (const page of pages) {
      const html = readFileSync(page, 'utf8');
      for (const m of html.matchAll(/(?:href|src)="([^"]+)"/g)) {
        const link = m[1] as string;
        if (/^(https?:|mailto:|#|data:|javascript:)/.test(link)) continue;
        const path = link.startsWith('/') ? link : join(page.slice(DIST.length), '..', link);
        checked++;
        if (!resolved.has(path)) resolved.set(path, resolveSitePath(DIST, path) !== undefined);
        if (!resolved.get(path)) dead.push(`${page.slice(DIST.length)} → ${link}`);
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(dead).toEqual([]);
  });
});
