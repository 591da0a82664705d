/**
 * Neuron-permutation symmetries on tensors. permuteHidden returns a
 * functionally identical network; permuteRowsUncoupled breaks the function on
 * purpose (the control case of GMN equivariance tests).
 */
import { tf } from '@metanet/tensor';
import { bufferInfos, expandedIndices, InvalidPermutationError, paramInfos, permutationPlan, type HiddenPermutation, type NetSpec } from '@metanet/spec';
import { initBuffers } from '../forward/forward';

/** A net's parameters and buffers after a hidden-neuron permutation. */
export interface PermutedNet {
  params: tf.Tensor[];
  buffers: tf.Tensor[];
}

/**
 * Reorders hidden neurons/channels, coupled across every tensor that touches
 * them (see permutationPlan). Same outputs as the input network up to float
 * rounding. `perms[group][new] = old`; groups left out keep their order.
 * Differentiable (tf.gather), and the inputs are not disposed.
 */
export function permuteHidden(spec: NetSpec, params: readonly tf.Tensor[], perms: HiddenPermutation, buffers?: readonly tf.Tensor[]): PermutedNet {
  const pinfos = paramInfos(spec);
  const binfos = bufferInfos(spec);
  const bufs = buffers ?? initBuffers(spec);
  const current = new Map<string, tf.Tensor>();
  pinfos.forEach((p, k) => current.set(p.name, params[k] as tf.Tensor));
  binfos.forEach((b, k) => current.set(b.name, bufs[k] as tf.Tensor));
  const plan = permutationPlan(spec);
  return tf.tidy(() => {
    for (const [op, idx] of expandedIndices(plan, perms)) {
      const t = current.get(op.tensor);
      if (t) current.set(op.tensor, tf.gather(t, tf.tensor1d(idx, 'int32'), op.axis));
    }
    // Untouched tensors are cloned so the result never aliases (and a dispose never frees) the inputs.
    const out = (name: string, orig: tf.Tensor): tf.Tensor => {
      const t = current.get(name) as tf.Tensor;
      return t === orig ? tf.clone(t) : t;
    };
    return {
      params: pinfos.map((p, k) => out(p.name, params[k] as tf.Tensor)),
      buffers: binfos.map((b, k) => out(b.name, bufs[k] as tf.Tensor)),
    };
  });
}

/**
 * Permutes the rows (axis 0) of one parameter tensor only, leaving its
 * consumers alone: generally a different function. For equivariance tests
 * that must show an uncoupled permutation changes a GMN's output.
 */
export function permuteRowsUncoupled(spec: NetSpec, params: readonly tf.Tensor[], paramName: string, perm: ArrayLike<number>): tf.Tensor[] {
  const k = paramInfos(spec).findIndex((p) => p.name === paramName);
  if (k < 0) throw new InvalidPermutationError(`no parameter ${JSON.stringify(paramName)} in this spec; see paramInfos(spec)`);
  const t = params[k] as tf.Tensor;
  const rows = t.shape[0] as number;
  const seen = new Set<number>();
  for (let i = 0; i < perm.length; i++) seen.add(perm[i] as number);
  if (perm.length !== rows || seen.size !== rows || [...seen].some((v) => !Number.isInteger(v) || v < 0 || v >= rows)) {
    throw new InvalidPermutationError(`permutation for ${paramName} must reorder 0..${rows - 1}`);
  }
  return params.map((p, j) => (j === k ? tf.gather(p, tf.tensor1d(Int32Array.from(perm), 'int32'), 0) : tf.clone(p)));
}
