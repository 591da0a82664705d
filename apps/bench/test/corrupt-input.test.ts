import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, cpSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initParamArrays, saveNet } from '@metanet/nets';
import { architecture } from '@metanet/spec';
import { runCli } from './run-cli';

/**
 * The CLI contract for bad input: every corrupt file ends in exit 2 with
 * a single line on stderr and no stack trace. The readers' own fuzz suites cover
 * thousands of cases; this samples each corruption family through the real binary.
 */
let root: string;
let good: string;

function variant(name: string, mutate: (dir: string) => void): string {
  const dir = join(root, name);
  cpSync(good, dir, { recursive: true });
  mutate(dir);
  return dir;
}

function expectBadInput(args: string[], pattern: RegExp): void {
  const r = runCli(args);
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^metanet: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'metanet-corrupt-'));
  good = join(root, 'good');
  const spec = architecture('small-cnn', { width: 4 });
  await saveNet(good, { spec, params: initParamArrays(spec, { seed: 1 }) });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('CLI on corrupt nets', () => {
  it('reads the intact net', () => {
    const r = runCli(['graph', 'stats', '--net', good, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).roundTripExact).toBe(true);
  });

  const cases: Array<[string, (dir: string) => void, RegExp]> = [
    ['truncated weights', (d) => truncateSync(join(d, 'weights.bin'), Math.floor(statSync(join(d, 'weights.bin')).size / 2)), /weights/i],
    ['empty weights', (d) => writeFileSync(join(d, 'weights.bin'), Buffer.alloc(0)), /weights/i],
    ['manifest not JSON', (d) => writeFileSync(join(d, 'manifest.json'), '{"format": "metanet.net", '), /manifest/i],
    ['empty manifest', (d) => writeFileSync(join(d, 'manifest.json'), ''), /manifest/i],
    [
      'unknown version',
      (d) => {
        const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
        m.version = 99;
        writeFileSync(join(d, 'manifest.json'), JSON.stringify(m));
      },
      /version/i,
    ],
    [
      'offset past the end',
      (d) => {
        const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
        m.tensors[0].offset = 1e12;
        writeFileSync(join(d, 'manifest.json'), JSON.stringify(m));
      },
      /offset|past|end|bytes/i,
    ],
    [
      'NaN weight',
      (d) => {
        const buf = readFileSync(join(d, 'weights.bin'));
        buf.writeFloatLE(Number.NaN, 0);
        writeFileSync(join(d, 'weights.bin'), buf);
      },
      /NaN|finite/i,
    ],
    [
      'directory where weights.bin should be',
      (d) => {
        rmSync(join(d, 'weights.bin'));
        mkdirSync(join(d, 'weights.bin'));
      },
      /weights\.bin/i,
    ],
    ['missing manifest', (d) => rmSync(join(d, 'manifest.json')), /manifest/i],
  ];

  for (const [name, mutate, pattern] of cases) {
    it(`${name} → exit 2, one line`, () => {
      expectBadInput(['graph', 'stats', '--net', variant(name.replace(/\W+/g, '-'), mutate)], pattern);
    });
  }

  it('a directory that does not exist → exit 2', () => {
    expectBadInput(['graph', 'stats', '--net', join(root, 'nope')], /nope|not found|no such/i);
  });
});
