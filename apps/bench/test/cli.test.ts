import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index';
import { runCli } from './run-cli';

describe('metanet CLI basics', () => {
  it('prints help listing the env command', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('env');
  });

  it('help lists every registered command with its one-line description', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    // Commander wraps long descriptions; joining continuation lines gives one line per command.
    const help = r.stdout.replace(/\n {4,}/g, ' ');
    const program = new Command('metanet');
    for (const register of commands) register(program);
    const names = program.commands.map((c) => c.name());
    // The commands the README documents are all registered.
    for (const name of ['demo', 'env', 'data', 'train', 'unlearn', 'graph', 'gmn']) expect(names).toContain(name);
    for (const cmd of program.commands) {
      const description = cmd.description();
      expect(description, cmd.name()).toMatch(/^\S.{10,}$/);
      expect(description, cmd.name()).not.toContain('\n');
      const line = help.split('\n').find((l) => new RegExp(`^  ${cmd.name()}( \\[options\\])?( \\[command\\])? `).test(l));
      expect(line, `${cmd.name()} in:\n${r.stdout}`).toBeDefined();
      expect(line!.replace(/\s+/g, ' ')).toContain(description.replace(/\s+/g, ' '));
    }
  });

  it('usage errors share the metanet: prefix and name the help flag', () => {
    const r = runCli(['env', '--no-such-flag']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^metanet: unknown option '--no-such-flag' \(run metanet --help for usage\)$/)]);
  });

  it('with --json, errors are one JSON document on stdout and exit 2', () => {
    const usage = runCli(['unlearn', '--json', '--method', 'ft']);
    expect(usage.status).toBe(2);
    expect(JSON.parse(usage.stdout)).toEqual({ error: expect.stringMatching(/^--net <dir> is required/) });
    // The human line stays on stderr, so a person watching a --json run sees it too.
    expect(usage.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^metanet: --net <dir> is required/)]);
    const missing = runCli(['unlearn', '--json', '--method', 'ft', '--net', '/no/such/net', '--forget-class', '0']);
    expect(missing.status).toBe(2);
    const { error } = JSON.parse(missing.stdout) as { error: string };
    expect(error).toMatch(/\/no\/such\/net: no such file or directory/);
    // The message names what the user runs, not the library call.
    expect(error).not.toMatch(/saveNet/);
    expect(error).toMatch(/metanet train/);
  });

  it('train --epochs 0 refuses to save an untrained net (exit 2, nothing written)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'metanet-epochs0-'));
    const out = join(dir, 'net');
    try {
      const r = runCli(['train', '--arch', 'mlp:784-8-10', '--dataset', 'synthetic', '--limit', '100', '--epochs', '0', '--out', out]);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual(['metanet: --epochs 0 would save an untrained net; pass --epochs 1 or more']);
      expect(existsSync(out)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('env --json names the backend and its kernel overrides', () => {
    const r = runCli(['env', '--json'], { METANET_BACKEND: 'wasm' });
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout) as { backend: string; kernelOverrides: string[]; tfjsVersion: string; nativeKernels: boolean | null };
    expect(info.backend).toBe('wasm');
    expect(info.tfjsVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(info.kernelOverrides.some((k) => k.endsWith('@wasm'))).toBe(true);
    expect(info.nativeKernels).toBe(true);
  });

  it('env honours METANET_BACKEND=cpu', () => {
    const r = runCli(['env', '--json'], { METANET_BACKEND: 'cpu' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).backend).toBe('cpu');
  });

  it('an unavailable forced backend exits 2 with one line and no stack trace', () => {
    const r = runCli(['env'], { METANET_BACKEND: 'node' });
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/tfjs-node/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown command exits 2', () => {
    const r = runCli(['no-such-command']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command/);
  });

  it('never prints the tfjs-node banner', () => {
    const r = runCli(['env']);
    expect(r.stdout + r.stderr).not.toMatch(/Hi there|tfjs-node for more details|already registered/);
  });
});
