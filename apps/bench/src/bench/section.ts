/**
 * The contract of a bench section. A new section is one file exporting a `Section` and one
 * entry in `sections/index.ts`; the runner, the report and results.json need no edit.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { BenchSettings } from './settings';
import type { Executor, Json, Unit } from './units';

/** A plot a section draws: a vega-lite spec with its data inline. */
export interface PlotSpec {
  /** File stem under plots/, e.g. 'homework-forget-utility'. */
  name: string;
  title: string;
  spec: TopLevelSpec;
}

/** Failed units of a section, as the report lists them. */
export type FailedUnits = ReadonlyArray<{ id: string; error: string }>;

export interface Section {
  name: string;
  title: string;
  /** Units in stages: a stage starts once the previous one has finished (e.g. originals, then gold, then methods). */
  plan(settings: BenchSettings): Unit[][];
  /** Executors of this section's unit kinds, by kind name. */
  executors: Record<string, Executor>;
  /** The section's results.json data from its finished units' results (keyed by unit id). */
  summarize(settings: BenchSettings, results: ReadonlyMap<string, Json>): Json;
  /** The section's Markdown body (tables, notes), without its heading. */
  markdown(data: Json, settings: BenchSettings): string;
  plots?(data: Json): PlotSpec[];
}

/** A section whose package work has not landed: listed in the report as pending. */
export interface PendingSection {
  name: string;
  title: string;
  pending: string;
}
