/** Small synthetic data and tiny nets shared by the tests (not a test file itself). */
import { initBackend, tf } from '@metanet/tensor';
import { initBuffers, initParams } from '@metanet/nets';
import type { NetSpec } from '@metanet/spec';
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

import { train } from '@metanet/nets';
import { labelsOf, subsetDataset, disposeDataset } from '@metanet/data';
import { accuracy } from '@metanet/metrics';
import { predictOutputs } from '../src/predict';

export interface ClasswiseFixture {
  original: TrainedNet;
  /** D_f: every training sample of class 0. */
  forget: Dataset;
  retain: Dataset;
  /** Held-out samples of class 0 and of the others. */
  testForget: Dataset;
  testRetain: Dataset;
  dispose(): void;
}

function splitByClass(ds: Dataset, cls: number): [Dataset, Dataset] {
  const y = labelsOf(ds);
  const f: number[] = [];
  const r: number[] = [];
  y.forEach((v, i) => (v === cls ? f : r).push(i));
  return [subsetDataset(ds, Int32Array.from(f)), subsetDataset(ds, Int32Array.from(r))];
}

/** flatten-dense(32)-BN-ReLU-dense: quick on the cpu backend, still has BN buffers. */
export function tinyMlpSpec(classes = 4): NetSpec {
  return {
    version: 1,
    name: 'tiny-mlp',
    input: [12, 12, 1],
    layers: [{ type: 'flatten' }, { type: 'dense', units: 32 }, { type: 'batchnorm' }, { type: 'activation', fn: 'relu' }, { type: 'dense', units: classes }],
  };
}

/** A tiny MLP trained on 4-class synthetic shapes (train ≈ 0.94, test ≈ 0.8 accuracy), and a class-0 request. */
export async function classwiseFixture(): Promise<ClasswiseFixture> {
  const trainSet = shapes(800, 11);
  const testSet = shapes(400, 12);
  const spec = tinyMlpSpec();
  const init = initParams(spec, { seed: 1 });
  const r = await train(spec, init, trainSet, { epochs: 8, batchSize: 32, lr: 3e-3, seed: 1 });
  tf.dispose(init);
  const [forget, retain] = splitByClass(trainSet, 0);
  const [testForget, testRetain] = splitByClass(testSet, 0);
  disposeDataset(trainSet);
  disposeDataset(testSet);
  const original: TrainedNet = { spec, params: r.params, buffers: r.buffers };
  return {
    original,
    forget,
    retain,
    testForget,
    testRetain,
    dispose() {
      disposeNet(original);
      [forget, retain, testForget, testRetain].forEach(disposeDataset);
    },
  };
}

/** Accuracy (0..1) of `net` on `ds`. */
export function accuracyOn(net: TrainedNet, ds: Dataset): number {
  return accuracy(predictOutputs(net, ds), labelsOf(ds));
}
