/**
 * The model zoo: one pool unit per training run (a pure function of the zoo seed and the run index, as
 * @metanet/zoo's builder runs them), then one unit that writes the zoo directory under --out/zoo through
 * the builder itself, so the bench's zoo is byte for byte the zoo `metanet zoo build` makes. The
 * accuracy-prediction section plans the same units and finds them done.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '@metanet/data/atomic';
import type { Section } from '../section';
import type { BenchSettings } from '../settings';
import { zooHistogramPlot } from '../plots';
import type { Json, Unit, UnitContext } from '../units';

/** The preset the bench's zoo uses: the Small CNN Zoo on Fashion-MNIST, the tiny synthetic one otherwise. */
export function zooPreset(s: BenchSettings): string {
  return s.dataset === 'fashion-mnist' ? 'small-cnn' : 'tiny';
}

/** Where the bench writes its zoo. */
export function zooDir(out: string): string {
  return join(out, 'zoo');
}

const runFile = (out: string, run: number): string => join(out, 'zoo-runs', `r${String(run).padStart(6, '0')}.json`);

async function settingsOf(s: BenchSettings) {
  const { zooSettings } = await import('@metanet/zoo');
  return zooSettings(zooPreset(s), { seed: 0, quick: s.sizes.zoo.quick });
}

/** Trains one run in this worker; the encoded result goes to a file (the unit result stays small). */
async function runUnit(unit: Unit, ctx: UnitContext): Promise<Json> {
  const [{ default: runTask }, { encodeRunResult }] = await Promise.all([import('@metanet/zoo/worker'), import('@metanet/zoo')]);
  const run = Number(unit.params.run);
  const result = await runTask({ settings: await settingsOf(ctx.settings), run, ...(ctx.settings.dataDir !== null ? { dataDir: ctx.settings.dataDir } : {}) });
  mkdirSync(dirname(runFile(ctx.out, run)), { recursive: true });
  writeFileAtomic(runFile(ctx.out, run), JSON.stringify(encodeRunResult(result)));
  const final = result.checkpoints.at(-1)!;
  return { run, testAcc: final.metrics.testAcc, seconds: result.checkpoints.reduce((a, c) => Math.max(a, c.wallTimeMs), 0) / 1000 };
}

/** Writes the zoo from the finished runs through the builder, and summarises it. */
async function assembleUnit(_unit: Unit, ctx: UnitContext): Promise<Json> {
  const { buildZoo, decodeRunResult, zooStats } = await import('@metanet/zoo');
  const s = ctx.settings;
  const dir = zooDir(ctx.out);
  await buildZoo({
    preset: zooPreset(s),
    out: dir,
    runs: s.sizes.zoo.runs,
    seed: 0,
    quick: s.sizes.zoo.quick,
    executor: async (tasks, onResult) => {
      for (const t of tasks) onResult(decodeRunResult(JSON.parse(readFileSync(runFile(ctx.out, t.run), 'utf8'))));
    },
  });
  const st = zooStats(dir);
  return {
    preset: st.settings.preset,
    dataset: st.settings.dataset.name,
    epochs: st.settings.protocol.epochs,
    checkpoints: [...st.settings.protocol.checkpoints],
    runs: st.runs,
    nets: st.records,
    finalNets: st.finalNets,
    diverged: st.diverged,
    bytes: st.bytes,
    testAcc: { ...st.testAcc },
    histogram: st.histogram,
  };
}

/** The run units and the assembling unit, in two stages (shared with accuracy-prediction). */
export function zooStages(s: BenchSettings): Unit[][] {
  const runs = Array.from({ length: s.sizes.zoo.runs }, (_, run) => ({ id: `zoo/run/r${String(run).padStart(6, '0')}`, kind: 'zoo-run', params: { preset: zooPreset(s), run } }));
  return [runs, [{ id: 'zoo/assemble', kind: 'zoo-assemble', params: { preset: zooPreset(s), runs: s.sizes.zoo.runs } }]];
}

/** The zoo-building executors (shared with accuracy-prediction). */
export const ZOO_EXECUTORS = { 'zoo-run': runUnit, 'zoo-assemble': assembleUnit };

interface ZooData {
  preset: string;
  dataset: string;
  epochs: number;
  checkpoints: number[];
  runs: number;
  nets: number;
  finalNets: number;
  diverged: number;
  bytes: number;
  testAcc: { min: number; median: number; mean: number; max: number };
  histogram: number[];
  runSeconds: { total: number; mean: number };
}

export const zoo: Section = {
  name: 'zoo',
  title: 'Model zoo',
  plan: zooStages,
  executors: ZOO_EXECUTORS,
  summarize(s, results): Json {
    const stats = results.get('zoo/assemble');
    if (stats === undefined || stats === null || typeof stats !== 'object') return { runs: 0 };
    const secs = zooStages(s)[0]!.flatMap((u) => {
      const r = results.get(u.id) as { seconds?: number } | undefined;
      return r?.seconds !== undefined ? [r.seconds] : [];
    });
    const total = secs.reduce((a, b) => a + b, 0);
    return { ...(stats as Record<string, Json>), runSeconds: { total, mean: total / Math.max(secs.length, 1) } };
  },
  markdown(json, s) {
    const d = json as unknown as ZooData;
    if (!d.preset) return 'No zoo: its units failed (see below).';
    const pct = (v: number): string => (100 * v).toFixed(1);
    return [
      `Preset \`${d.preset}\` (${d.dataset}${zooPreset(s) === 'tiny' ? '; the Small CNN Zoo needs Fashion-MNIST, so this run used the tiny synthetic preset' : ''}), ` +
        `${d.epochs} epoch(s) per run, checkpoints at epochs ${d.checkpoints.join(', ')}; zoo seed 0, written to \`zoo/\` by @metanet/zoo's builder.`,
      '',
      '| runs | nets | final nets | diverged | bundle size (MB) | test acc. min / median / mean / max (%) | run time, total / mean (worker s) |',
      '| ---: | ---: | ---: | ---: | ---: | --- | --- |',
      `| ${d.runs} | ${d.nets} | ${d.finalNets} | ${d.diverged} | ${(d.bytes / 2 ** 20).toFixed(1)} | ${pct(d.testAcc.min)} / ${pct(d.testAcc.median)} / ${pct(d.testAcc.mean)} / ${pct(d.testAcc.max)} | ${d.runSeconds.total.toFixed(0)} / ${d.runSeconds.mean.toFixed(1)} |`,
    ].join('\n');
  },
  plots(json) {
    const d = json as unknown as ZooData;
    return d.histogram ? [zooHistogramPlot(d.histogram)] : [];
  },
};
