/**
 * Units: the deterministic pieces a bench section splits into (one trained original, one gold
 * retrain, one method × request × seed). A unit's result depends only on its params and the
 * run's settings, so each is written atomically once finished and a rerun skips it.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '@metanet/data/atomic';
import type { BenchSettings } from './settings';

/** A JSON value, as unit results and results.json hold them. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One unit of work; `id` is a relative path such as `homework/method/class-0/ft/s0`. */
export interface Unit {
  id: string;
  /** Executor name, looked up in the section registry's executors. */
  kind: string;
  params: { [key: string]: Json };
}

/** What an executor gets besides its unit. */
export interface UnitContext {
  settings: BenchSettings;
  /** The run's --out (nets shared between units are saved under out/nets/). */
  out: string;
}

export type Executor = (unit: Unit, ctx: UnitContext) => Promise<Json>;

export type UnitOutcome = { id: string; ok: true; result: Json } | { id: string; ok: false; error: string };

function unitFile(out: string, id: string): string {
  return join(out, 'units', `${id}.json`);
}

/** The stored result of a finished unit, or undefined. */
export function readUnit(out: string, id: string): Json | undefined {
  const file = unitFile(out, id);
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { result: Json }).result;
}

/** Stores a finished unit's result (temp file + rename: a kill leaves the old state or the new one). */
export function writeUnit(out: string, unit: Unit, result: Json): void {
  const file = unitFile(out, unit.id);
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, `${JSON.stringify({ id: unit.id, kind: unit.kind, params: unit.params, result })}\n`);
}

/** A stage's results by unit id, and the error of each failed unit, for the report. */
export interface StageOutcome {
  results: Map<string, Json>;
  failed: Array<{ id: string; error: string }>;
}

/**
 * Splits a stage into the units a previous run already finished (their stored results, each reported to `onDone`)
 * and the units still to run, in their original order. Every pool resumes through this, so a local and a queued
 * run skip exactly the same units.
 */
export function splitStored<U extends Unit>(out: string, units: readonly U[], onDone: (id: string, ok: boolean) => void): { results: Map<string, Json>; todo: U[] } {
  const results = new Map<string, Json>();
  const todo: U[] = [];
  for (const unit of units) {
    const stored = readUnit(out, unit.id);
    if (stored === undefined) {
      todo.push(unit);
    } else {
      results.set(unit.id, stored);
      onDone(unit.id, true);
    }
  }
  return { results, todo };
}
