import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from './run-cli';
import { launchBrowser } from './support/browser';

/**
 * `metanet bench` end to end at test size (METANET_BENCH_TINY=1: 240 synthetic images, 1 epoch),
 * with two methods so the suite stays short: every section reaches report.md, results.json
 * validates against the committed schema, every plot is SVG with data marks, report.html
 * opens in headless chromium without console errors. Every run is asynchronous: a blocking
 * spawnSync that lasts a minute on a loaded machine starves vitest's own RPC.
 */
const TINY = { METANET_BENCH_TINY: '1' };
const TINY_ARGS = ['bench', '--dataset', 'synthetic', '--methods', 'ft,logit-mask', '--seeds', '2', '--workers', '2', '--json'];
const SECTIONS = ['graph', 'homework', 'methods', 'epsilon', 'zoo', 'accuracy-prediction', 'gmn-unlearning', 'speed'];

let root: string;
let out: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'metanet-bench-'));
  out = join(root, 'run');
  const r = await runCliAsync([...TINY_ARGS, '--out', out], TINY, 600_000);
  expect(r.status, r.stderr).toBe(0);
}, 600_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

const schema = JSON.parse(readFileSync(new URL('../schema/results.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);
const results = (): Record<string, unknown> & { sections: Array<{ name: string; status: string; data?: unknown; plots?: Array<{ file: string }> }> } =>
  JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));

describe('metanet bench --quick --dataset synthetic (test size)', () => {
  it('writes a report.md with every section, in order, none pending', () => {
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    for (const name of SECTIONS) expect(md).toMatch(new RegExp(`^## \\d+\\. ${name}: `, 'm'));
    const order = [...md.matchAll(/^## \d+\. ([a-z-]+): /gm)].map((m) => m[1]);
    expect(order).toEqual(SECTIONS);
    expect(md).not.toMatch(/\(pending\)/);
    // SalUn format: a method cell carries its gap to gold in parentheses.
    expect(md).toMatch(/\| ft \| \d+\.\d\d ± \d+\.\d\d \(\d+\.\d\d\) \|/);
    expect(md).toContain('| ft | ');
    expect(md).toMatch(/\| machine \| .* \|/);
  });

  it('writes a results.json that the committed JSON Schema accepts, and the schema rejects a broken one', () => {
    const r = results();
    expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
    expect(r.sections.map((s) => s.name)).toEqual(SECTIONS);
    const broken = structuredClone(r);
    const homework = broken.sections.find((s) => s.name === 'homework') as { data: { requests: Array<{ rows: Array<{ UA: unknown }> }> } };
    homework.data.requests[0]!.rows[0]!.UA = 'high';
    expect(validate(broken)).toBe(false);
  });

  it('runs the GMN unlearner section: the editor, held-out nets of both groups against gold, its table and plots', () => {
    const s = results().sections.find((x) => x.name === 'gmn-unlearning')! as { status: string; data: { pairs: number; summary: { rows: Array<{ group: string; method: string; metrics: Record<string, { mean: number }> }> } }; plots: Array<{ file: string }> };
    expect(s.status).toBe('done');
    expect(s.data.pairs).toBe(2);
    const gold = s.data.summary.rows.find((r) => r.group === 'all' && r.method === 'gold')!;
    expect(gold.metrics.avgGap!.mean).toBe(0);
    expect(new Set(s.data.summary.rows.map((r) => r.group))).toEqual(new Set(['all', 'unseen seeds', 'unseen widths']));
    expect(s.data.summary.rows.some((r) => r.method === 'gmn')).toBe(true);
    expect(s.plots.map((p) => p.file)).toEqual(['plots/gmn-unlearning-tradeoff.svg', 'plots/gmn-unlearning-training.svg']);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/\| \*\*gmn\*\* \| /);
    expect(md).toMatch(/RTE per architecture family/);
  });

  it('runs the task row of the methods section: a multi-head original, gold, the task methods, the single-head ones not applicable', () => {
    const m = results().sections.find((s) => s.name === 'methods')!.data as { requests: Array<{ request: string; rows: unknown[]; taskRows?: Array<{ method: string; forgetHead: { n: number } }>; notApplicable: Array<{ method: string }> }> };
    const task = m.requests.find((r) => r.request === 'task:group')!;
    expect(task.rows).toEqual([]);
    expect(task.taskRows!.map((r) => r.method)).toEqual(['original', 'retrain (gold)', 'ft', 'reinit-head']);
    expect(task.taskRows!.every((r) => r.forgetHead.n === 2)).toBe(true);
    expect(task.notApplicable.map((n) => n.method)).toEqual(['logit-mask']);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/\| method \| group acc \(forget\) \| probe group \| kept heads acc \| Avg Gap \| RTE \| time \(s\) \|\n[^\n]*\n\| \*original\* \|/);
  });

  it('scores the ε section from N unlearned and N retrained models', () => {
    const eps = results().sections.find((s) => s.name === 'epsilon')!.data as { n: number; scores: Array<{ method: string; score: number; epsilons: unknown[] }> };
    expect(eps.n).toBe(2);
    expect(eps.scores.map((s) => s.method)).toEqual(['ft']);
    expect(eps.scores[0]!.epsilons.length).toBeGreaterThan(0);
  });

  it('builds a zoo and scores every accuracy predictor on the same test nets of it', () => {
    const sections = results().sections;
    const zoo = sections.find((s) => s.name === 'zoo') as { status: string; data: { runs: number; finalNets: number; histogram: number[] } };
    expect(zoo.status).toBe('done');
    expect(zoo.data.runs).toBe(12);
    expect(zoo.data.histogram.reduce((a, b) => a + b, 0)).toBe(zoo.data.finalNets);
    const ap = sections.find((s) => s.name === 'accuracy-prediction') as {
      status: string;
      data: { split: { test: number }; rows: Array<{ method: string; tau: { n: number } }>; predictions: Array<{ method: string }> };
      plots: Array<{ file: string }>;
    };
    expect(ap.status).toBe('done');
    expect(ap.data.rows.map((r) => r.method)).toEqual(['gmn', 'statnn', 'gbt', 'hparams', 'flat']);
    expect(ap.data.rows.every((r) => r.tau.n === 2)).toBe(true);
    expect(ap.data.predictions.filter((p) => p.method === 'gmn')).toHaveLength(ap.data.split.test);
    expect(ap.plots.map((p) => p.file)).toContain('plots/accuracy-prediction-predicted-vs-true.svg');
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/\| statnn \| -?\d\.\d{3} ± \d\.\d{3} \|/);
  });

  it('draws every plot as parseable SVG with data marks', () => {
    const files = readdirSync(join(out, 'plots'));
    const listed = results().sections.flatMap((s) => (s.plots ?? []).map((p) => p.file.replace('plots/', '')));
    expect(files.sort()).toEqual([...listed].sort());
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) {
      const svg = readFileSync(join(out, 'plots', f), 'utf8');
      expect(XMLValidator.validate(svg), f).toBe(true);
      const doc = new XMLParser({ ignoreAttributes: false }).parse(svg) as { svg?: unknown };
      expect(doc.svg, f).toBeDefined();
      // vega tags each data mark's group with its mark type; a mark group holds a path per datum.
      expect(svg, f).toMatch(/class="mark-(symbol|rect) role-mark[^"]*"[^>]*>(<path|<g)/);
    }
  });

  it('opens report.html in headless chromium with the plots inline and no console errors', async () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<(img|script|link)\b[^>]*(src|href)="(https?:)?\/\//);
    const { context, close } = await launchBrowser();
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(join(out, 'report.html')).href);
      expect(await page.locator('figure svg').count()).toBe(readdirSync(join(out, 'plots')).length);
      expect(await page.locator('table').count()).toBeGreaterThan(5);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('metanet bench: bad input exits 2 with one line', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['an unknown section', ['--only', 'graph,nope'], /unknown section "nope"/],
    ['an unknown dataset', ['--dataset', 'imagenet'], /unknown dataset "imagenet"/],
    ['an unknown method', ['--methods', 'ft,forgetall'], /unknown method 'forgetall'/],
    ['the gmn method without an editor', ['--methods', 'ft,gmn'], /--methods gmn needs a trained editor/],
    ['--quick with --full', ['--quick', '--full'], /at most one of --quick and --full/],
  ];
  for (const [what, args, message] of cases) {
    it(`rejects ${what}`, async () => {
      const r = await runCliAsync(['bench', '--dataset', 'synthetic', ...args, '--out', join(root, 'bad')], TINY);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  it('rejects an --out it cannot write', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const r = await runCliAsync(['bench', '--dataset', 'synthetic', '--only', 'graph', '--out', join(file, 'sub')], TINY);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot write to --out .*ENOTDIR/);
  });

  it('refuses an --out made with other settings', async () => {
    const r = await runCliAsync([...TINY_ARGS, '--seeds', '3', '--out', out], TINY);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/holds a run made with other settings/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('metanet bench: a unit that crashes its worker', () => {
  it('is reported failed with its error while the other units finish', async () => {
    const dir = join(root, 'crash');
    const r = await runCliAsync(['bench', '--dataset', 'synthetic', '--only', 'graph', '--workers', '2', '--out', dir], { ...TINY, METANET_BENCH_CRASH_UNIT: 'graph/small-cnn-c1' }, 300_000);
    expect(r.status, r.stderr).toBe(0);
    // Said when it happens (before the section's summary line), and summed up at the end with how to retry.
    const said = r.stderr.indexOf('unit graph/small-cnn-c1 failed:');
    expect(said).toBeGreaterThan(-1);
    expect(r.stderr.indexOf('1 of ', said)).toBeGreaterThan(said);
    expect(r.stderr).toMatch(/graph: 1 of \d+ units failed \(graph\/small-cnn-c1\); rerun into the same --out to retry them/);
    const graph = (JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { sections: Array<{ name: string; status: string; failed: Array<{ id: string; error: string }>; data: { architectures: Array<{ arch: string }> } }> }).sections.find((s) => s.name === 'graph')!;
    expect(graph.status).toBe('partial');
    expect(graph.failed.map((f) => f.id)).toEqual(['graph/small-cnn-c1']);
    expect(graph.failed[0]!.error).toMatch(/exit|terminat/i);
    expect(graph.data.architectures.map((a) => a.arch)).toEqual(['homework-cnn', 'small-cnn-mt', 'resnet-mini', 'mlp:784-64-32-10', 'homework-cnn']);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('`graph/small-cnn-c1`');
  });
});
