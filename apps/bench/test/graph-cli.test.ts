import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'metanet-graph-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('metanet graph stats', () => {
  it('gives the reference counts for homework-cnn on 3 channels, with an exact round trip', () => {
    const r = runCli(['graph', 'stats', '--arch', 'homework-cnn', '--in-channels', '3', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.numNodes).toBe(216);
    expect(s.numEdges).toBe(59_050);
    expect(s.roundTripExact).toBe(true);
  });

  it('gives 893 nodes and 52,650 edges for the MLP 784-64-32-10', () => {
    const s = JSON.parse(runCli(['graph', 'stats', '--arch', 'mlp:784-64-32-10', '--json']).stdout);
    expect([s.numNodes, s.numEdges]).toEqual([893, 52_650]);
  });

  it('exports GraphML with one <edge> per parameter', () => {
    const file = join(dir, 'small.graphml');
    const r = runCli(['graph', 'stats', '--arch', 'small-cnn', '--export', 'graphml', file]);
    expect(r.status, r.stderr).toBe(0);
    const xml = readFileSync(file, 'utf8');
    expect(xml.startsWith('<?xml')).toBe(true);
    expect(xml.match(/<edge /g)?.length).toBe(4970);
  });

  it('--export replaces an existing file atomically: the old one or the whole new one, no temp file left', () => {
    const file = join(dir, 'mlp.json');
    writeFileSync(file, 'old');
    const r = runCli(['graph', 'stats', '--arch', 'mlp:4-3-2', '--export', 'json', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).edges).toHaveLength(4 * 3 + 3 + 3 * 2 + 2);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('--export into a directory that does not exist yet creates it', () => {
    const file = join(dir, 'new', 'deeper', 'mlp.graphml');
    const r = runCli(['graph', 'stats', '--arch', 'mlp:4-3-2', '--export', 'graphml', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8').match(/<edge /g)).toHaveLength(4 * 3 + 3 + 3 * 2 + 2);
  });

  it('--export under a path whose parent is a file exits 2 with one metanet: line', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'x');
    const r = runCli(['graph', 'stats', '--arch', 'mlp:4-3-2', '--export', 'json', join(blocker, 'g.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^metanet: .*a-file/)]);
  });

  it('rejects --arch together with --net (exit 2)', () => {
    const r = runCli(['graph', 'stats', '--arch', 'small-cnn', '--net', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/exactly one of --arch/);
  });
});
