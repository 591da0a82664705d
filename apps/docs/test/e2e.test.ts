/**
 * End to end in Debian's Chromium (/usr/bin/chromium, driven by playwright-core; no browser download): serves the
 * built site on 127.0.0.1, opens the explorer on homework-cnn (1 channel) and checks the graph's counts, that the
 * WebGL canvas really drew (without SwiftShader headless Chromium gives WebGL nothing, and a test could pass on an
 * empty canvas), that clicking an edge shows its parameter, what the level of detail draws at each zoom and around a
 * hovered or clicked node, and that no console error occurred. Saves screenshots
 * (gitignored) and prints the explorer's frame time as one JSON line.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from './browser';
import { clickPlan } from './click-plan';
import { serve } from './serve';
import { DIST, DOCS_ROOT, ensureBuilt } from './site';

const SHOTS = join(DOCS_ROOT, 'test', 'screenshots');

interface ExplorerHandle {
  graph: { order: number; size: number };
  view: { size: number; forEachNode(f: (n: string) => void): void; forEachEdge(f: (e: string, a: unknown, s: string, t: string) => void): void };
  renderer: { getEdgeDisplayData(e: string): { hidden: boolean } | undefined; getCamera(): { setState(s: { ratio: number }): void } };
  detail(): { drawn: number; total: number; full: boolean };
  frameTime(n: number): Promise<{ medianMs: number; p95Ms: number; renderMs: number; frames: number; refreshMs: number }>;
}

describe('docs site in Chromium', () => {
  let server: Server;
  let url: string;
  let browser: TestBrowser;
  let page: Page;
  let errors: string[] = [];

  beforeAll(async () => {
    const buildSeconds = ensureBuilt();
    ({ server, url } = await serve(DIST));
    browser = await launchBrowser();
    ({ page, errors } = browser);
    mkdirSync(SHOTS, { recursive: true });
    if (buildSeconds) console.log(JSON.stringify({ docsBuildSeconds: Number(buildSeconds.toFixed(1)) }));
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('the explorer builds homework-cnn (1 channel): 214 nodes and 58,474 edges', async () => {
    await page.goto(`${url}/explorer`);
    await page.waitForFunction(() => (window as unknown as { __metanetExplorer?: unknown }).__metanetExplorer !== undefined, undefined, { timeout: 120_000 });
    const counts = await page.evaluate(() => {
      const x = (window as unknown as { __metanetExplorer: ExplorerHandle }).__metanetExplorer;
      return { order: x.graph.order, size: x.graph.size };
    });
    expect(counts).toEqual({ order: 214, size: 58474 });
    await expect.poll(() => page.textContent('[data-test=status]')).toContain('58,474 edges');
  });

  it('the canvas is not blank', async () => {
    await page.waitForTimeout(500);
    const shot = await page.locator('[data-test=canvas]').screenshot({ path: join(SHOTS, 'explorer-homework-cnn.png') });
    const stats = await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const c = new OffscreenCanvas(bmp.width, bmp.height);
      const ctx = c.getContext('2d') as OffscreenCanvasRenderingContext2D;
      ctx.drawImage(bmp, 0, 0);
      const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
      let sum = 0;
      let sq = 0;
      let coloured = 0;
      const n = d.length / 4;
      for (let i = 0; i < d.length; i += 4) {
        const l = 0.299 * (d[i] as number) + 0.587 * (d[i + 1] as number) + 0.114 * (d[i + 2] as number);
        sum += l;
        sq += l * l;
        if (Math.abs((d[i] as number) - (d[i + 2] as number)) > 40) coloured++;
      }
      const mean = sum / n;
      return { variance: sq / n - mean * mean, colouredShare: coloured / n };
    }, shot.toString('base64'));
    console.log(JSON.stringify({ canvasPixelVariance: Math.round(stats.variance), colouredShare: Number(stats.colouredShare.toFixed(3)) }));
    // A blank white canvas has variance 0; the drawn homework-cnn measures in the thousands.
    expect(stats.variance).toBeGreaterThan(200);
    expect(stats.colouredShare).toBeGreaterThan(0.01);
  });

  it('clicking an edge shows its parameter', async () => {
    const box = await page.locator('[data-test=canvas]').boundingBox();
    // Midpoints of the thickest drawn edges, in page pixels; the first that hits an edge opens the panel.
    const points = await page.evaluate(() => {
      const x = (window as unknown as { __metanetExplorer: { view: { edges(): string[]; extremities(e: string): [string, string]; getEdgeAttribute(e: string, k: string): number; getNodeAttribute(n: string, k: string): number }; renderer: { graphToViewport(p: { x: number; y: number }): { x: number; y: number } } } }).__metanetExplorer;
      const edges = x.view.edges().sort((a, b) => x.view.getEdgeAttribute(b, 'size') - x.view.getEdgeAttribute(a, 'size'));
      const points: { x: number; y: number }[] = [];
      for (const e of edges) {
        const [s, t] = x.view.extremities(e).map((n) => x.renderer.graphToViewport({ x: x.view.getNodeAttribute(n, 'x'), y: x.view.getNodeAttribute(n, 'y') })) as [{ x: number; y: number }, { x: number; y: number }];
        // Between layers, away from the node columns.
        if (Math.abs(s.x - t.x) > 60) points.push({ x: (s.x + t.x) / 2, y: (s.y + t.y) / 2 });
        if (points.length === 12) break;
      }
      return points;
    });
    let shown = false;
    for (const p of points) {
      await page.mouse.move((box?.x ?? 0) + p.x, (box?.y ?? 0) + p.y);
      await page.mouse.click((box?.x ?? 0) + p.x, (box?.y ?? 0) + p.y);
      // The panel updates after sigma's picking and Vue's next render: wait for it rather than read at once.
      shown = await page.locator('[data-test=entry]').first().waitFor({ timeout: 5000 }).then(() => true, () => false);
      if (shown) break;
    }
    expect(shown).toBe(true);
    const row = await page.locator('[data-test=entry]').first().innerText();
    expect(row).toMatch(/layers\.\d+\.\w+/);
    await page.screenshot({ path: join(SHOTS, 'explorer-edge-panel.png'), fullPage: true });
  });

  it('zoomed out it draws each node\'s strongest pairs only, zoomed in every pair', async () => {
    // Counted from sigma's own display data: what it will draw, not the page's bookkeeping.
    const drawn = (): Promise<{ drawn: number; total: number; reported: number; bareNodes: number }> => page.evaluate(() => {
      const x = (window as unknown as { __metanetExplorer: ExplorerHandle }).__metanetExplorer;
      let count = 0;
      const attached = new Set<string>();
      x.view.forEachEdge((e, _a, s, t) => {
        if (x.renderer.getEdgeDisplayData(e)?.hidden === false) {
          count++;
          attached.add(s).add(t);
        }
      });
      let bareNodes = 0;
      x.view.forEachNode((n) => { if (!attached.has(n)) bareNodes++; });
      return { drawn: count, total: x.view.size, reported: x.detail().drawn, bareNodes };
    });
    const zoom = (ratio: number): Promise<void> => page.evaluate((r) => (window as unknown as { __metanetExplorer: ExplorerHandle }).__metanetExplorer.renderer.getCamera().setState({ ratio: r }), ratio);
    const out = await drawn();
    console.log(JSON.stringify({ explorerDrawnPairs: { zoomedOut: out.drawn, total: out.total } }));
    expect(out.total).toBe(9066);
    expect(out.drawn).toBeLessThan(out.total / 5);
    expect(out.drawn).toBeGreaterThan(214);
    expect(out.reported).toBe(out.drawn);
    expect(out.bareNodes).toBe(0);
    await expect.poll(() => page.textContent('[data-test=detail]'), { timeout: 30_000 }).toContain(`Showing ${out.drawn.toLocaleString('en')} of 9,066 node pairs`);
    await zoom(0.3);
    await expect.poll(async () => (await drawn()).drawn, { timeout: 30_000 }).toBe(9066);
    await expect.poll(() => page.textContent('[data-test=detail]'), { timeout: 30_000 }).toContain('Showing 9,066 of 9,066 node pairs');
    await zoom(1);
    await expect.poll(async () => (await drawn()).drawn, { timeout: 30_000 }).toBe(out.drawn);
    // Hovering a node draws all its pairs; leaving it hides the weaker ones again.
    const target = await page.evaluate(() => {
      const x = (window as unknown as { __metanetExplorer: ExplorerHandle & { view: { nodes(): string[]; edges(n: string): string[]; degree(n: string): number; getNodeAttribute(n: string, k: string): number | string }; renderer: { graphToViewport(p: { x: number; y: number }): { x: number; y: number } } } }).__metanetExplorer;
      // A channel of the second conv layer: 32 pairs in, 64 out, and its own bias, γ and β.
      const node = x.view.nodes().find((n) => x.view.getNodeAttribute(n, 'nodeType') === 'hidden' && x.view.degree(n) > 60) as string;
      const hiddenPairs = x.view.edges(node).filter((e) => x.renderer.getEdgeDisplayData(e)?.hidden === true).length;
      return { hiddenPairs, ...x.renderer.graphToViewport({ x: x.view.getNodeAttribute(node, 'x') as number, y: x.view.getNodeAttribute(node, 'y') as number }) };
    });
    const box = await page.locator('[data-test=canvas]').boundingBox();
    await page.mouse.move((box?.x ?? 0) + target.x, (box?.y ?? 0) + target.y);
    expect(target.hiddenPairs).toBeGreaterThan(0);
    await expect.poll(async () => (await drawn()).drawn, { timeout: 30_000 }).toBe(out.drawn + target.hiddenPairs);
    await page.mouse.move((box?.x ?? 0) + 5, (box?.y ?? 0) + 5);
    await expect.poll(async () => (await drawn()).drawn, { timeout: 30_000 }).toBe(out.drawn);
  });

  it('clicking a node draws exactly its hidden pairs, lists a clicked one\'s parameters, and an empty click deselects', async () => {
    // The ids of the pairs sigma will draw now, from its display data (as in the test above).
    const drawnPairs = (): Promise<string[]> => page.evaluate(() => {
      const x = (window as unknown as { __metanetExplorer: ExplorerHandle }).__metanetExplorer;
      const ids: string[] = [];
      x.view.forEachEdge((e) => { if (x.renderer.getEdgeDisplayData(e)?.hidden === false) ids.push(e); });
      return ids.sort();
    });
    const before = await drawnPairs();
    expect(before.length).toBeLessThan(9066 / 5);
    const plan = await page.evaluate(clickPlan);
    expect(plan.hiddenPairs.length).toBeGreaterThan(0);
    expect(plan.hiddenPairs.every((e) => !before.includes(e))).toBe(true);
    expect(plan.pair.entries.length).toBeGreaterThan(0);
    const box = await page.locator('[data-test=canvas]').boundingBox();
    const at = (p: { x: number; y: number }): [number, number] => [(box?.x ?? 0) + p.x, (box?.y ?? 0) + p.y];
    const pinned = [...before, ...plan.hiddenPairs].sort();
    console.log(JSON.stringify({ explorerClickedNode: { node: plan.nodeId, drawnBefore: before.length, hiddenPairs: plan.hiddenPairs.length, clickedPair: plan.pair.title, entries: plan.pair.entries.length } }));

    await page.mouse.click(...at(plan.node));
    await expect.poll(drawnPairs, { timeout: 30_000 }).toEqual(pinned);
    await expect.poll(() => page.textContent('[data-test=panel] h4')).toContain(`node ${plan.nodeId}:`);
    await expect.poll(() => page.textContent('[data-test=detail]'), { timeout: 30_000 }).toContain(`Showing ${pinned.length.toLocaleString('en')} of 9,066 node pairs`);
    // Leaving the node keeps them: the click pinned it, where a hover alone would not.
    await page.mouse.move(...at(plan.empty));
    // Two clicks within sigma's double-click timeout (300 ms) would zoom in instead of clicking.
    await page.waitForTimeout(400);
    await page.mouse.move(...at(plan.onPair));
    await expect.poll(() => page.textContent('[data-test=hover]'), { timeout: 30_000 }).toContain(plan.pair.entries[0]?.[0] as string);
    expect(await drawnPairs()).toEqual(pinned);

    await page.mouse.click(...at(plan.onPair));
    await expect.poll(() => page.locator('[data-test=entry]').count(), { timeout: 30_000 }).toBe(plan.pair.entries.length);
    expect(await page.textContent('[data-test=panel] h4')).toBe(plan.pair.title);
    const rows = await page.locator('[data-test=entry]').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent)));
    // Tensor name, flat index, value, kernel position (kh, kw), each as the full graph holds that parameter.
    expect(rows).toEqual(plan.pair.entries);
    expect(rows[0]?.[0]).toMatch(/layers\.\d+\.\w+/);
    // The kernel table fits the 340 px side panel: no horizontal scroll, every column (kw last) inside its edge.
    const fit = await page.locator('[data-test=panel]').evaluate((panel) => {
      const right = panel.getBoundingClientRect().right;
      const cells = Array.from(panel.querySelectorAll('tr > *'), (c) => c.getBoundingClientRect().right);
      return { scroll: panel.scrollWidth - panel.clientWidth, overhang: Math.max(...cells) - right };
    });
    expect(fit.scroll).toBeLessThanOrEqual(0);
    expect(fit.overhang).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, 'explorer-pinned-node.png'), fullPage: true });
    expect(await drawnPairs()).toEqual(pinned);

    await page.waitForTimeout(400);
    await page.mouse.click(...at(plan.empty));
    await expect.poll(drawnPairs, { timeout: 30_000 }).toEqual(before);
    await expect.poll(() => page.textContent('[data-test=detail]'), { timeout: 30_000 }).toContain(`Showing ${before.length.toLocaleString('en')} of 9,066 node pairs`);
    await expect.poll(() => page.locator('[data-test=panel] h4').count()).toBe(0);
  });

  it('reports the frame time for homework-cnn', async () => {
    const t = await page.evaluate(() => (window as unknown as { __metanetExplorer: ExplorerHandle }).__metanetExplorer.frameTime(20));
    console.log(JSON.stringify({ explorerFrameTime: { arch: 'homework-cnn', ...t } }));
    expect(t.frames).toBe(20);
  });

  it('other pages load and no console error occurred', async () => {
    for (const path of ['/', '/getting-started', '/concepts/parameter-graphs', '/concepts/mpnn', '/cheatsheet', '/results', '/api/']) {
      const res = await page.goto(`${url}${path}`);
      expect(res?.status(), path).toBe(200);
    }
    await page.goto(`${url}/concepts/parameter-graphs`);
    await page.screenshot({ path: join(SHOTS, 'concepts-parameter-graphs.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
