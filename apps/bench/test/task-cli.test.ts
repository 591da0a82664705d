import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExit2, runCliAsync } from './run-cli';

const root = mkdtempSync(join(tmpdir(), 'metanet-task-cli-'));
const net = join(root, 'net');
// Synthetic shapes have 10 classes, so the group head's 10-entry label map applies.
const DATA = ['--dataset', 'synthetic', '--limit', '600'];

beforeAll(async () => {
  const r = await runCliAsync(['train', '--arch', 'small-cnn', '--heads', 'label,group', ...DATA, '--epochs', '2', '--seed', '1', '--out', net, '--json']);
  expect(r.status, r.stderr).toBe(0);
  const payload = JSON.parse(r.stdout) as { headAccuracy: Record<string, number>; accuracy: { test: number } };
  expect(Object.keys(payload.headAccuracy)).toEqual(['label', 'group']);
  expect(payload.accuracy.test).toBe(payload.headAccuracy.label);
}, 600_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('metanet train --heads and metanet unlearn --request task:HEAD', () => {
  it('the saved net records its heads', () => {
    const manifest = JSON.parse(readFileSync(join(net, 'manifest.json'), 'utf8')) as { spec: { heads: { name: string; units: number }[] } };
    expect(manifest.spec.heads.map((h) => [h.name, h.units])).toEqual([
      ['label', 10],
      ['group', 3],
    ]);
  });

  it('forgets head group with neggrad-plus beside a retrained gold, and writes the net and results', async () => {
    const gold = join(root, 'gold');
    const g = await runCliAsync(['unlearn', '--request', 'task:group', '--method', 'retrain', '--net', net, ...DATA, '--hp', '{"epochs":2}', '--out', gold, '--json']);
    expect(g.status, g.stderr).toBe(0);
    const out = join(root, 'out');
    const r = await runCliAsync(['unlearn', '--request', 'task:group', '--method', 'neggrad-plus', '--hp', '{"alpha":0.5}', '--net', net, '--gold', join(gold, 'net'), ...DATA, '--out', out, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout) as { method: string; request: unknown; rows: { model: string; forgetHeadAccuracy: number; headAccuracy: Record<string, number>; probeAccuracy: number }[] };
    expect(p.method).toBe('neggrad-plus');
    expect(p.request).toEqual({ kind: 'task', head: 'group' });
    expect(p.rows.map((x) => x.model)).toEqual(['original', 'retrain (gold)', 'neggrad-plus']);
    for (const row of p.rows) {
      expect(Object.keys(row.headAccuracy)).toEqual(['label', 'group']);
      expect(row.forgetHeadAccuracy).toBe(row.headAccuracy.group);
      expect(row.probeAccuracy).toBeGreaterThanOrEqual(0);
    }
    expect(existsSync(join(out, 'net', 'manifest.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).rows).toHaveLength(3);
    const human = await runCliAsync(['unlearn', '--request', 'task:group', '--method', 'reinit-head', '--net', net, ...DATA]);
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/label acc\s+group acc \(forget\)\s+probe group/);
    expect(human.stdout).toMatch(/Pass --gold DIR/);
  }, 600_000);

  it('bad task requests exit 2 with one line naming the fix', async () => {
    await expectExit2(['unlearn', '--request', 'task:group', '--method', 'salun', '--net', net, ...DATA], /method 'salun' assumes one head .* use retrain, ft, ga, neggrad-plus, reinit-head/);
    await expectExit2(['unlearn', '--request', 'task:colour', '--method', 'ft', '--net', net, ...DATA], /no head "colour": its heads are label, group/);
    await expectExit2(['unlearn', '--request', 'task:', '--method', 'ft', '--net', net, ...DATA], /needs one head name; e.g. task:group/);
    await expectExit2(['unlearn', '--request', 'task:group', '--forget-class', '0', '--method', 'ft', '--net', net, ...DATA], /pass exactly one of --request/);
    await expectExit2(['unlearn', '--forget-class', '0', '--method', 'ft', '--net', net, ...DATA], /heads label, group, and these methods assume one; forget a head with a task request/);
    await expectExit2(['train', '--arch', 'small-cnn', '--heads', 'label,colour', ...DATA, '--epochs', '1', '--out', join(root, 'bad')], /unknown head "colour"; known: label, group/);
  }, 600_000);
});
