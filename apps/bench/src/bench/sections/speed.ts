/**
 * The speed benchmarks (packages/<pkg>/bench/*.mjs), each run as a child process printing one
 * JSON document. Their torch ratios appear where torch is installed; where it is not, or where
 * the scripts are absent (an installed CLI without the repository), the section says so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Section } from '../section';
import type { Json, Unit } from '../units';

/** The repository root, from dist/ of apps/bench. */
function repoRoot(): string {
  return fileURLToPath(new URL('../../../', import.meta.url));
}

function torchInstalled(): boolean {
  return spawnSync(process.env.PYTHON ?? 'python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

async function speedUnit(unit: Unit): Promise<Json> {
  const script = join(repoRoot(), String(unit.params.script));
  const name = String(unit.params.name);
  if (!existsSync(script)) return { name, skipped: `${unit.params.script} not found (the speed benchmarks run from a clone of the repository)` };
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [script, ...(unit.params.args as string[])], { cwd: repoRoot(), encoding: 'utf8', timeout: 3_600_000, maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${unit.params.script} exited ${r.status ?? r.signal}: ${(r.stderr ?? '').trim().split('\n').pop() ?? ''}`);
  return { name, seconds, torch: torchInstalled(), highlights: highlights(JSON.parse(r.stdout) as Json) };
}

/** The speedups and torch ratios of a benchmark's document, as path → value. */
function highlights(doc: Json, path = '', out: Record<string, number> = {}): Record<string, number> {
  if (doc === null || typeof doc !== 'object') return out;
  for (const [k, v] of Object.entries(doc)) {
    const p = path ? `${path}.${k}` : k;
    if (typeof v === 'number' && /speedup|ratio|vsTorch/i.test(k)) out[p] = v;
    else if (typeof v === 'object') highlights(v, p, out);
  }
  return out;
}

interface SpeedRow {
  name: string;
  skipped?: string;
  seconds?: number;
  torch?: boolean;
  highlights?: Record<string, number>;
}

export const speed: Section = {
  name: 'speed',
  title: 'Speed benchmarks',
  plan: (s) => [s.sizes.speed.map((b) => ({ id: `speed/${b.name}`, kind: 'speed-script', params: b }))],
  executors: { 'speed-script': speedUnit },
  summarize: (s, results) => ({ benchmarks: s.sizes.speed.flatMap((b) => results.get(`speed/${b.name}`) ?? []) }),
  markdown(json, s) {
    const rows = (json as unknown as { benchmarks: SpeedRow[] }).benchmarks;
    if (s.sizes.speed.length === 0) return 'skipped: the test profile runs no speed benchmark.';
    const lines: string[] = [s.profile === 'quick' ? 'Quick: the kernel benchmark only, with few repetitions (--full runs kernels, graph, train and mpnn).' : ''];
    if (rows.some((r) => r.torch === false)) lines.push('', 'skipped torch ratios: torch is not installed (pip install torch, then rerun with --full).');
    for (const r of rows) {
      lines.push('', `**${r.name}**${r.seconds !== undefined ? ` (${r.seconds.toFixed(0)} s)` : ''}`);
      if (r.skipped) lines.push('', `skipped: ${r.skipped}`);
      const h = Object.entries(r.highlights ?? {});
      if (h.length > 0) lines.push('', '| measure | value |', '| --- | ---: |', ...h.map(([k, v]) => `| ${k} | ${v} |`));
    }
    return lines.join('\n').trim();
  },
};
