/** Small synthetic data and tiny nets shared by the tests (not a test file itself). */
import { initBackend, tf } from '@metanet/tensor';
import { initBuffers, initParams, type NetSpec } from '@metanet/nets';
import { syntheticShapes, type Dataset } from '@metanet/data';
import type { TrainedNet } from '../src/types';

export async function setup(): Promise<void> {
  await initBackend({ backend: 'cpu' });
}

/** 12×12 synthetic shapes, 4 classes. */
export function shapes(n: number, seed: number, classes = 4): Dataset {
  return syntheticShapes({ n, seed, size: 12, classes });
}

/** conv(4)-BN-ReLU-GAP-dense: tiny, but exercises BN buffers. */
export function tinyCnnSpec(classes = 4): NetSpec {
  return {
    version: 1,
    name: 'tiny-cnn',
    input: [12, 12, 1],
    layers: [
      { type: 'conv2d', filters: 6, kernel: 3, stride: 2, padding: 1 },
      { type: 'batchnorm' },
      { type: 'activation', fn: 'relu' },
      { type: 'flatten' },
      { type: 'dense', units: 24 },
      { type: 'activation', fn: 'relu' },
      { type: 'dense', units: classes },
    ],
  };
}

export function freshNet(spec: NetSpec, seed = 0): TrainedNet {
  return { spec, params: initParams(spec, { seed }), buffers: initBuffers(spec) };
}

export function bytesOf(net: TrainedNet): Uint8Array[] {
  return [...net.params, ...net.buffers].map((t) => new Uint8Array((t.dataSync() as Float32Array).slice().buffer));
}

export function disposeNet(net: TrainedNet): void {
  tf.dispose(net.params);
  tf.dispose(net.buffers);
}

export function sameBytes(a: Uint8Array[], b: Uint8Array[]): boolean {
  return a.length === b.length && a.every((x, k) => {
    const y = b[k] as Uint8Array;
    return x.length === y.length && x.every((v, i) => v === y[i]);
  });
}
