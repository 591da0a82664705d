/**
 * End to end in Chromium: the "Unlearn in your browser" page loads the shipped small-cnn and Fashion-MNIST sample,
 * runs NegGrad+, then the shipped GMN editor (the page's default), on class 2 (Pullover) in its worker on tfjs-wasm,
 * and shows the forgotten class's test accuracy fall while the other classes keep theirs. Every number is read from the page's data-* attributes. Prints the load and
 * unlearning times as one JSON line and saves a screenshot.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from './browser';
import { serve } from './serve';
import { DIST, DOCS_ROOT, ensureBuilt } from './site';

const SHOTS = join(DOCS_ROOT, 'test', 'screenshots');
const FORGET = 2;

describe('unlearn in your browser', () => {
  let server: Server;
  let url: string;
  let browser: TestBrowser;

  beforeAll(async () => {
    ensureBuilt();
    ({ server, url } = await serve(DIST));
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('forgets the chosen class, keeps the others, with no console error', async () => {
    const { page, errors } = browser;
    const t0 = performance.now();
    await page.goto(`${url}/unlearn`);
    await page.locator('[data-test=status][data-ready=yes]').waitFor({ timeout: 120_000 });
    const loadSeconds = (performance.now() - t0) / 1000;
    expect(await page.textContent('[data-test=status]')).toMatch(/on tfjs-(wasm|cpu)/);
    await page.selectOption('[data-test=forget-class]', String(FORGET));
    await page.selectOption('[data-test=method]', 'neggrad-plus');
    await page.click('[data-test=run]');
    await page.locator('[data-test=result]').waitFor({ timeout: 240_000 });

    const rows = await page.locator('[data-test=class-row]').evaluateAll((trs) => trs.map((tr) => ({
      before: Number(tr.getAttribute('data-before')),
      after: Number(tr.getAttribute('data-after')),
    })));
    expect(rows).toHaveLength(10);
    const forgotten = rows[FORGET] as { before: number; after: number };
    // The shipped net scores 78% on the 50 test pullovers; NegGrad+ leaves 0% in Node on the same wasm backend.
    expect(forgotten.before).toBeGreaterThan(0.6);
    expect(forgotten.after).toBeLessThan(forgotten.before - 0.3);
    // Retained classes: their mean test accuracy may fall by at most 5 points (Node measures 84.7% → 82.0%). Single
    // classes move more: with 270 retain images, the pullovers' predictions go to the other upper-body classes, and
    // T-shirt/top loses 34 points while Shirt gains 34.
    const kept = rows.filter((_, c) => c !== FORGET);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(kept.map((r) => r.after))).toBeGreaterThan(mean(kept.map((r) => r.before)) - 0.05);

    const result = page.locator('[data-test=result]');
    const seconds = Number(await result.getAttribute('data-seconds'));
    const probe = { before: Number(await result.getAttribute('data-probe-before')), after: Number(await result.getAttribute('data-probe-after')) };
    expect(seconds).toBeGreaterThan(0);
    expect(probe.before).toBeGreaterThanOrEqual(0);
    expect(probe.after).toBeLessThanOrEqual(1);
    console.log(JSON.stringify({ unlearnPage: { loadSeconds: Number(loadSeconds.toFixed(2)), method: 'neggrad-plus', forgetClass: FORGET, seconds, forgotten, retainedMean: { before: mean(kept.map((r) => r.before)), after: mean(kept.map((r) => r.after)) }, probe } }));
    await page.screenshot({ path: join(SHOTS, 'unlearn-neggrad-plus-class2.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('the GMN editor, the default method, forgets the class in one pass and shows the time in ms', async () => {
    const { page, errors } = browser;
    await page.goto(`${url}/unlearn`);
    await page.locator('[data-test=status][data-ready=yes]').waitFor({ timeout: 120_000 });
    expect(await page.getAttribute('[data-test=editor]', 'data-loaded')).toBe('yes');
    expect(await page.inputValue('[data-test=method]')).toBe('gmn');
    await page.selectOption('[data-test=forget-class]', String(FORGET));
    await page.click('[data-test=run]');
    await page.locator('[data-test=result][data-method=gmn]').waitFor({ timeout: 120_000 });

    const rows = await page.locator('[data-test=class-row]').evaluateAll((trs) => trs.map((tr) => ({
      before: Number(tr.getAttribute('data-before')),
      after: Number(tr.getAttribute('data-after')),
    })));
    const forgotten = rows[FORGET] as { before: number; after: number };
    // bench/unlearn-page.mjs in Node on wasm, same assets: the editor leaves 0% on every one of the ten classes
    // (class 2: 78% -> 0%), and the other classes' mean rises by 1.8 points on class 2 (falls by 0.2 at worst over the ten).
    expect(forgotten.before).toBeGreaterThan(0.6);
    expect(forgotten.after).toBeLessThan(0.1);
    const kept = rows.filter((_, c) => c !== FORGET);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(kept.map((r) => r.after))).toBeGreaterThan(mean(kept.map((r) => r.before)) - 0.02);

    const result = page.locator('[data-test=result]');
    const seconds = Number(await result.getAttribute('data-seconds'));
    expect(Number.isFinite(seconds)).toBe(true);
    expect(seconds).toBeGreaterThan(0);
    expect(await page.textContent('[data-test=seconds]')).toMatch(/^\d+ ms$/);
    const probe = { before: Number(await result.getAttribute('data-probe-before')), after: Number(await result.getAttribute('data-probe-after')) };
    expect(probe.before).toBeGreaterThanOrEqual(0);
    expect(probe.after).toBeLessThanOrEqual(1);
    console.log(JSON.stringify({ unlearnPage: { method: 'gmn', forgetClass: FORGET, ms: Number((1000 * seconds).toFixed(1)), forgotten, retainedMean: { before: mean(kept.map((r) => r.before)), after: mean(kept.map((r) => r.after)) }, probe } }));
    await page.screenshot({ path: join(SHOTS, 'unlearn-gmn-class2.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
