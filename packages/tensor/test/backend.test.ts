import { afterEach, describe, expect, it } from 'vitest';
import { tf, initBackend, backendInfo, BackendUnavailableError } from '../src/index';

const saved = process.env.METANET_BACKEND;
afterEach(async () => {
  if (saved === undefined) delete process.env.METANET_BACKEND;
  else process.env.METANET_BACKEND = saved;
});

describe('initBackend', () => {
  it('picks wasm automatically when tfjs-node is not installed', async () => {
    delete process.env.METANET_BACKEND;
    const info = await initBackend();
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('is idempotent: repeated calls share one initialisation', async () => {
    delete process.env.METANET_BACKEND;
    const a = initBackend();
    const b = initBackend();
    expect(a).toBe(b);
    expect(await a).toEqual(await b);
  });

  it('obeys METANET_BACKEND, and an explicit option wins over it', async () => {
    process.env.METANET_BACKEND = 'cpu';
    expect((await initBackend()).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await initBackend({ backend: 'wasm' })).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('re-selects when someone switched backends behind its back', async () => {
    delete process.env.METANET_BACKEND;
    await initBackend();
    await tf.setBackend('cpu');
    expect((await initBackend()).name).toBe('wasm');
  });

  it('rejects an unknown METANET_BACKEND with a typed error naming the choices', async () => {
    process.env.METANET_BACKEND = 'gpu';
    const err = await initBackend().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toMatch(/node, wasm or cpu/);
  });

  it('reports an unavailable tfjs-node as a typed error with the install fix', async () => {
    const err = await initBackend({ backend: 'node' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toMatch(/npm install @tensorflow\/tfjs-node/);
    process.env.METANET_BACKEND = 'node';
    await expect(initBackend()).rejects.toBeInstanceOf(BackendUnavailableError);
  });
});

describe('backendInfo', () => {
  it('describes wasm with SIMD/threads flags and its overrides', async () => {
    await initBackend({ backend: 'wasm' });
    const info = backendInfo();
    expect(info.name).toBe('wasm');
    expect(info.tfjsVersion).toBe(tf.version_core);
    expect(typeof info.simd).toBe('boolean');
    expect(typeof info.threads).toBe('boolean');
    expect(info.threadsCount).toBeGreaterThanOrEqual(1);
    expect(info.nativeKernels).toBe(true);
    expect(info.overrides).toEqual(
      expect.arrayContaining(['GatherV2@wasm', 'UnsortedSegmentSum@wasm', 'BatchMatMul@wasm', 'Conv2DBackpropFilter@wasm', 'Identity@wasm', 'Sum@wasm']),
    );
    expect(info.overrides.every((o) => o.endsWith('@wasm'))).toBe(true);
  });

  it('describes cpu with null SIMD/threads', async () => {
    await initBackend({ backend: 'cpu' });
    const info = backendInfo();
    expect(info).toMatchObject({ name: 'cpu', simd: null, threads: null, nativeKernels: null });
    expect(info.overrides).toContain('GatherV2@cpu');
    expect(info.threadsCount).toBeUndefined();
  });
});
