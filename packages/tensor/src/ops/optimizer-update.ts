import * as tf from '@tensorflow/tfjs-core';
import { OPTIMIZER_UPDATE, type OptimizerUpdateAttrs } from '../kernels/optimizer-update';

/** One parameter's fused optimizer update: the parameter, its gradient, its moment slots and the step's settings. */
export interface OptimizerUpdateRequest {
  kind: 'adam' | 'sgd';
  params: readonly tf.Tensor[];
  grads: readonly tf.Tensor[];
  /** Per param: Adam [m, v]; SGD with momentum [buf]; SGD without []. */
  slots: readonly (readonly tf.Tensor[])[];
  /** Per param 0/1 masks (undefined: all free), applied to the decayed gradient and, for Adam, the update. */
  masks?: ReadonlyArray<tf.Tensor | undefined>;
  lr: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
  momentum: number;
  /** The step being taken, from 1. */
  step: number;
}

/**
 * PyTorch's Adam or SGD step for every parameter in one kernel call, where the
 * backend has the fused kernel (wasm); null elsewhere, and the caller runs its
 * tfjs-op version (the fused one returns the same bits). Returns new tensors;
 * the inputs are left to the caller.
 */
export function fusedOptimizerUpdate(r: OptimizerUpdateRequest): { params: tf.Tensor[]; slots: tf.Tensor[][] } | null {
  if (tf.getKernel(OPTIMIZER_UPDATE, tf.getBackend()) === undefined) return null;
  const inputs: tf.NamedTensorMap = {};
  const masked: boolean[] = [];
  r.params.forEach((p, i) => {
    inputs[`p${i}`] = p;
    inputs[`g${i}`] = r.grads[i]!;
    r.slots[i]!.forEach((s, j) => (inputs[`s${i}_${j}`] = s));
    const k = r.masks?.[i];
    masked.push(k !== undefined);
    if (k !== undefined) inputs[`k${i}`] = k;
  });
  const attrs: OptimizerUpdateAttrs = {
    kind: r.kind, count: r.params.length, masked, lr: r.lr, weightDecay: r.weightDecay,
    beta1: r.beta1, beta2: r.beta2, eps: r.eps, step: r.step, momentum: r.momentum,
  };
  const outs = tf.engine().runKernel(OPTIMIZER_UPDATE, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  const per = r.kind === 'adam' ? 3 : r.momentum > 0 ? 2 : 1;
  return {
    params: r.params.map((_, i) => outs[i * per]!),
    slots: r.params.map((_, i) => outs.slice(i * per + 1, (i + 1) * per)),
  };
}
