/**
 * The automatic backend choice (tfjs-node → wasm → cpu) with tfjs-node present.
 * The real @tensorflow/tfjs-node cannot be installed here (it downloads
 * libtensorflow at install time), so its success path never runs in this
 * suite; instead a stub module does what tfjs-node's import does, registering
 * a backend named `tensorflow` (here backed by the cpu backend class), and
 * the selection, fallback and error paths of `initBackend` run for real.
 */
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { afterEach, describe, expect, it } from 'vitest';
import { setTfjsNodeLoader } from '../src/backend';
import { backendInfo, BackendUnavailableError, initBackend, tf } from '../src/index';

const saved = process.env.METANET_BACKEND;

/** What `import('@tensorflow/tfjs-node')` does to tfjs: register the `tensorflow` backend (tfjs-node uses priority 3). */
function stubTfjsNode(): { loads: number; loader: () => Promise<unknown> } {
  const stub = {
    loads: 0,
    loader: async () => {
      stub.loads++;
      tf.registerBackend('tensorflow', () => new MathBackendCPU(), 3);
      // tfjs-node registers its own kernels under its backend name; the stub lends it the cpu ones.
      for (const k of tf.getKernelsForBackend('cpu')) {
        if (!tf.getKernel(k.kernelName, 'tensorflow')) tf.registerKernel({ ...k, backendName: 'tensorflow' });
      }
      return {};
    },
  };
  return stub;
}

afterEach(async () => {
  setTfjsNodeLoader(undefined);
  if (tf.findBackendFactory('tensorflow') !== null) tf.removeBackend('tensorflow');
  if (saved === undefined) delete process.env.METANET_BACKEND;
  else process.env.METANET_BACKEND = saved;
  await initBackend({ backend: 'wasm' });
});

describe('initBackend with tfjs-node installed (stub module)', () => {
  it('prefers tfjs-node when nothing is forced', async () => {
    delete process.env.METANET_BACKEND;
    const stub = stubTfjsNode();
    setTfjsNodeLoader(stub.loader);
    const info = await initBackend();
    expect(info.name).toBe('node');
    expect(tf.getBackend()).toBe('tensorflow');
    expect(backendInfo().name).toBe('node');
    expect(backendInfo().simd).toBeNull();
    expect(stub.loads).toBe(1);
    expect(Array.from(tf.add(tf.tensor1d([1, 2]), 1).dataSync())).toEqual([2, 3]);
  });

  it('METANET_BACKEND and the explicit option still win over an installed tfjs-node', async () => {
    const stub = stubTfjsNode();
    setTfjsNodeLoader(stub.loader);
    process.env.METANET_BACKEND = 'cpu';
    expect((await initBackend()).name).toBe('cpu');
    expect(stub.loads).toBe(0);
    expect((await initBackend({ backend: 'node' })).name).toBe('node');
    expect(stub.loads).toBe(1);
  });

  it('a module that loads but registers no backend: auto falls back to wasm, forced node is a typed error', async () => {
    delete process.env.METANET_BACKEND;
    setTfjsNodeLoader(async () => ({}));
    await initBackend({ backend: 'cpu' });
    expect((await initBackend()).name).toBe('wasm');
    const err = await initBackend({ backend: 'node' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toMatch(/registered no "tensorflow" backend.*npm install @tensorflow\/tfjs-node/);
  });

  it('a module that fails to import (a broken native binding): the import error is named', async () => {
    setTfjsNodeLoader(async () => {
      throw new Error('libtensorflow.so.2: cannot open shared object file');
    });
    const err = await initBackend({ backend: 'node' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toMatch(/^backend "node" is unavailable \(libtensorflow\.so\.2: cannot open shared object file\)/);
  });
});
