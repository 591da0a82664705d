/**
 * results.json: the machine-readable report. Its JSON Schema is apps/bench/schema/results.schema.json
 * (tests validate every run's file against it with ajv); bump SCHEMA_VERSION on a breaking change.
 */
import { cpus, totalmem } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import type { BenchSettings } from './settings';
import type { Json } from './units';

export const SCHEMA_VERSION = 1;

export interface SectionResult {
  name: string;
  title: string;
  /** done: every unit finished; partial: some failed; pending: its package work has not landed; not-run: left out by --only. */
  status: 'done' | 'partial' | 'pending' | 'not-run';
  note?: string;
  wallSeconds?: number;
  units?: { total: number; reused: number; failed: number };
  failed?: Array<{ id: string; error: string }>;
  data?: Json;
  /** SVG files under plots/. */
  plots?: Array<{ file: string; title: string }>;
}

export interface Environment {
  generatedAt: string;
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  memoryGB: number;
  backend: string;
  versions: Record<string, string>;
}

export interface BenchResults {
  schemaVersion: number;
  settings: BenchSettings;
  dataset: { description: string; notice?: string };
  environment: Environment;
  wallSeconds: number;
  sections: SectionResult[];
}

const PACKAGES = ['@metanet/tensor', '@metanet/data', '@metanet/spec', '@metanet/nets', '@metanet/graph', '@metanet/metrics', '@metanet/mpnn', '@metanet/unlearning', 'vega', 'vega-lite', 'piscina'];

/** Installed versions of metanet's packages and the report's libraries. */
function versions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const out: Record<string, string> = { '@metanet/bench': '0.1.0' };
  for (const name of PACKAGES) {
    try {
      let dir = dirname(require.resolve(name));
      while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
      out[name] = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      out[name] = 'unknown';
    }
  }
  return out;
}

/** The machine and versions a report was produced on. */
export function environment(backend: string, tfjsVersion: string | undefined): Environment {
  const cpuList = cpus();
  return {
    generatedAt: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30),
    backend,
    versions: { ...versions(), ...(tfjsVersion !== undefined && { tfjs: tfjsVersion }) },
  };
}
