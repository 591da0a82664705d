import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

describe('metanet CLI basics', () => {
  it('prints help listing the env command', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('env');
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
