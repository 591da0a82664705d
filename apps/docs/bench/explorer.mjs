// Benchmark: the explorer's frame time on homework-cnn (9,066 node pairs, 58,474 parameters) in headless Chromium
// (Debian's /usr/bin/chromium, SwiftShader WebGL, the e2e test's flags), as a camera move renders it. Prints one JSON
// document. Run `npm run bench:explorer -w @metanet/docs` (builds the site first when it is absent).
//
// Configurations, measured in one browser, one page at a time, interleaved in every repetition so that their ratios
// are side by side on a shared machine:
// - levelOfDetail on (the page's default: each node's strongest pairs when zoomed out) or off (every pair);
// - zoom: default (ratio 1, the whole graph) or in (ratio 0.3, where the level of detail draws every pair);
// - edges on (the camera set each frame, as a programmatic move renders) or off (the same move while a camera
//   animation runs, which is how sigma renders a drag's inertia or a wheel zoom: `hideEdgesOnMove` skips the edges).
// `BENCH_BASELINE=<dir>` also measures another build of the site (e.g. one built from an earlier commit) in the same
// run, as `baseline`; configurations it cannot switch (no level of detail) are measured as it draws by default.
// `BENCH_REPS` (default 3) and `BENCH_FRAMES` (frames per measurement, default 10) set the workload.
import { cpus, loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { launchBrowser } from '../test/browser.ts';
import { serve } from '../test/serve.ts';
import { DIST, ensureBuilt } from '../test/site.ts';

const reps = Number(process.env.BENCH_REPS ?? 3);
const frames = Number(process.env.BENCH_FRAMES ?? 10);
const baselineDir = process.env.BENCH_BASELINE;
const ZOOMED_IN = 0.3;

const CONFIGS = [
  { lod: true, zoom: 1, edges: true },
  { lod: true, zoom: 1, edges: false },
  { lod: false, zoom: 1, edges: true },
  { lod: false, zoom: 1, edges: false },
  { lod: true, zoom: ZOOMED_IN, edges: true },
  { lod: true, zoom: ZOOMED_IN, edges: false },
];

const name = (c, build) => `${build}/${build === 'baseline' ? 'default' : c.lod ? 'lod' : 'every-pair'}/zoom-${c.zoom === 1 ? 'default' : 'in'}/edges-${c.edges ? 'on' : 'off'}`;

/** Runs in the page: one configuration's frame times, with the count of pairs sigma draws. */
async function measureInPage({ config, frames }) {
  const x = window.__metanetExplorer;
  const camera = x.renderer.getCamera();
  x.setLevelOfDetail?.(config.lod);
  camera.setState({ ...camera.getState(), angle: 0, ratio: config.zoom, x: 0.5, y: 0.5 });
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  let drawn = 0;
  x.view.forEachEdge((e) => { if (x.renderer.getEdgeDisplayData(e)?.hidden === false) drawn++; });
  // A camera animation makes sigma treat every render as a move: with hideEdgesOnMove it skips the edges.
  const start = camera.getState();
  if (!config.edges) camera.animate({ x: start.x }, { duration: 1e9, easing: 'linear' });
  const t = await x.frameTime(frames);
  if (!config.edges) await camera.animate({ x: start.x }, { duration: 1 });
  camera.setState({ ...start, ratio: 1 });
  x.setLevelOfDetail?.(true);
  return { ...t, drawnPairs: drawn, totalPairs: x.view.size };
}

async function measureBuild(page, url, build, results) {
  await page.goto(`${url}/explorer`);
  await page.waitForFunction(() => window.__metanetExplorer !== undefined, undefined, { timeout: 120_000 });
  await page.waitForTimeout(500);
  const configs = build === 'baseline' ? CONFIGS.filter((c) => c.lod) : CONFIGS;
  for (const config of configs) {
    const r = await page.evaluate(measureInPage, { config, frames });
    const key = name(config, build);
    (results[key] ??= []).push({ intervalMedianMs: round(r.medianMs), intervalP95Ms: round(r.p95Ms), scriptMsPerFrame: round(r.renderMs), refreshMs: round(r.refreshMs), drawnPairs: r.drawnPairs, totalPairs: r.totalPairs });
  }
}

const round = (v) => Math.round(v * 10) / 10;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const buildSeconds = ensureBuilt();
const builds = [{ build: 'current', ...(await serve(DIST)) }];
if (baselineDir) builds.unshift({ build: 'baseline', ...(await serve(baselineDir)) });
const browser = await launchBrowser();
const results = {};
const load = [];
for (let rep = 0; rep < reps; rep++) {
  const before = loadavg()[0];
  for (const b of rep % 2 ? [...builds].reverse() : builds) await measureBuild(browser.page, b.url, b.build, results);
  load.push({ rep, loadavg1Start: round(before), loadavg1End: round(loadavg()[0]) });
}
const errors = [...browser.errors];
await browser.close();
for (const b of builds) b.server.close();

const summary = Object.fromEntries(Object.entries(results).map(([k, rs]) => [k, {
  intervalMedianMs: median(rs.map((r) => r.intervalMedianMs)),
  scriptMsPerFrame: median(rs.map((r) => r.scriptMsPerFrame)),
  refreshMs: median(rs.map((r) => r.refreshMs)),
  drawnPairs: rs[0].drawnPairs,
  totalPairs: rs[0].totalPairs,
  perRep: rs.map((r) => r.intervalMedianMs),
}]));
let chromium = '';
try { chromium = execFileSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim(); } catch { chromium = 'unknown'; }
console.log(JSON.stringify({
  bench: 'explorer', arch: 'homework-cnn', chromium, cpus: cpus().length, reps, frames, buildSeconds: round(buildSeconds), load,
  note: 'intervalMedianMs: median time between animation frames during a camera move; scriptMsPerFrame: sigma\'s render, synchronous script per frame; refreshMs: one full renderer.refresh()',
  summary, errors,
}, null, 2));
