/**
 * Debian's Chromium (/usr/bin/chromium, driven by playwright-core; no browser download) with the flags every e2e
 * test uses: headless, SwiftShader WebGL, a fresh profile. Collects console errors, page errors and failed requests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** A launched browser with one page, the errors seen so far, and `close()` (which also removes the profile). */
export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  errors: string[];
  close(): Promise<void>;
}

/** Launches Chromium on a fresh profile and opens a page that records every error. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'metanet-docs-chromium-'));
  const remove = (): void => rmSync(profile, { recursive: true, force: true });
  // A run that ends before close() (a failed launch, a benchmark that throws) still leaves no profile (4 MB) behind.
  process.once('exit', remove);
  let context: BrowserContext;
  try {
    // --user-data-dir is how playwright passes a fresh profile: launchPersistentContext(profile).
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1400, height: 1000 } });
  } catch (e) {
    remove();
    throw e;
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  // Errors in a web worker reach neither 'console' nor 'pageerror' of the page.
  page.on('worker', (w) => w.on('console', (m) => {
    if (m.type() === 'error') errors.push(`worker: ${m.text()}`);
  }));
  return {
    context,
    page,
    errors,
    async close() {
      try {
        await context.close();
      } finally {
        remove();
        process.off('exit', remove);
      }
    },
  };
}
