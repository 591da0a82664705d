/** Tiny nets and data for the GMN unlearner's tests (not a test file itself). */
import { tf } from '@metanet/tensor';
import { initBuffers, initParams, train } from '@metanet/nets';
import { architecture, type NetSpec } from '@metanet/spec';
import type { Dataset } from '@metanet/data';
import type { TrainedNet } from '../../src/types';

/** small-cnn's layer sequence at 12×12, 4 classes: the family the editor tests train on. */
export function tinySmallCnn(width: number): NetSpec {
  return architecture('small-cnn', { inputSize: 12, classes: 4, width });
}

/** A freshly initialised net (no training). */
export function initNet(spec: NetSpec, seed: number): TrainedNet {
  return { spec, params: initParams(spec, { seed }), buffers: initBuffers(spec) };
}

/** Trains a net on `ds` with Adam for a few epochs. */
export async function trainedNet(spec: NetSpec, ds: Dataset, seed: number, epochs = 4): Promise<TrainedNet> {
  const init = initParams(spec, { seed });
  const r = await train(spec, init, ds, { epochs, batchSize: 32, lr: 0.01, optimizer: 'adam', seed });
  tf.dispose(init);
  return { spec, params: r.params, buffers: r.buffers };
}

/** The raw bytes of every param and buffer. */
export function netBytes(net: TrainedNet): Uint8Array[] {
  return [...net.params, ...net.buffers].map((t) => new Uint8Array((t.dataSync() as Float32Array).slice().buffer));
}

export function disposeNet(net: TrainedNet): void {
  tf.dispose([...net.params, ...net.buffers]);
}

/** A scalar's value, disposing the tensor. */
export function scalar(t: tf.Scalar): number {
  const v = t.dataSync()[0] as number;
  t.dispose();
  return v;
}

/** True when any parameter of `edited` differs from `net`'s in any bit. */
export function paramsMoved(edited: TrainedNet, net: TrainedNet): boolean {
  return edited.params.some((p, k) => {
    const a = p.dataSync();
    const o = net.params[k]!.dataSync();
    return a.some((v, i) => v !== o[i]);
  });
}
