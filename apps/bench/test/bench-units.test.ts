import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { UnitPool } from '../src/bench/pool';
import { runStage } from '../src/bench/run';
import { splitStored, writeUnit, type Json, type Unit } from '../src/bench/units';
import { createProgress } from '../src/progress';

const unit = (id: string): Unit => ({ id, kind: 'k', params: { id } });
const root = mkdtempSync(join(tmpdir(), 'bench-units-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('splitStored', () => {
  it('hands back stored results (reporting each as done) and the rest in their order', () => {
    const out = mkdtempSync(join(root, 'out-'));
    const units = ['s/a', 's/b', 's/c', 's/d'].map(unit);
    writeUnit(out, units[1]!, { v: 1 });
    writeUnit(out, units[3]!, [2, 3]);
    const done: Array<[string, boolean]> = [];
    const { results, todo } = splitStored(out, units, (id, ok) => void done.push([id, ok]));
    expect(todo.map((u) => u.id)).toEqual(['s/a', 's/c']);
    expect([...results]).toEqual([
      ['s/b', { v: 1 }],
      ['s/d', [2, 3]],
    ]);
    expect(done).toEqual([
      ['s/b', true],
      ['s/d', true],
    ]);
  });

  it('runs everything in a fresh directory and reports nothing', () => {
    const out = mkdtempSync(join(root, 'out-'));
    let calls = 0;
    const { results, todo } = splitStored(out, [unit('x')], () => void (calls += 1));
    expect(todo.map((u) => u.id)).toEqual(['x']);
    expect(results.size).toBe(0);
    expect(calls).toBe(0);
  });
});

describe('runStage', () => {
  it('shows a queue pool\'s depth, active units and workers on the bar beside the ETA', async () => {
    const lines: string[] = [];
    const bar = createProgress({ label: 'methods', total: 2, stream: { write: (s: string) => lines.push(s), isTTY: false } });
    const pool: UnitPool = {
      async run(units, onDone, onQueue) {
        onQueue?.({ queued: 1, active: 1, workers: 3 });
        onDone(units[0]!.id, true);
        onQueue?.({ queued: 0, active: 1, workers: 3 });
        onDone(units[1]!.id, true);
        return { results: new Map<string, Json>(units.map((u) => [u.id, 1])), failed: [] };
      },
      async close() {},
    };
    const counter = { done: 0 };
    const outcome = await runStage(pool, [unit('a'), unit('b')], bar, counter);
    expect(counter.done).toBe(2);
    expect(outcome.results.size).toBe(2);
    expect(lines.join('')).toMatch(/methods: 1\/2, ETA \d+s queued 1 active 1 workers 3/);
    expect(lines.join('')).toMatch(/methods: 2\/2, ETA 0s queued 0 active 1 workers 3/);
  });
});
