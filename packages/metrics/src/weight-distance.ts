import type { tf } from '@metanet/tensor';
import { NonFiniteInputError, ShapeMismatchError } from './errors.js';

/** One parameter tensor: a typed array or a tensor (read with `dataSync`). */
export type WeightInput = Float32Array | Float64Array | tf.Tensor;

function values(w: WeightInput): ArrayLike<number> {
  return 'dataSync' in w ? (w.dataSync() as ArrayLike<number>) : w;
}

/**
 * ℓ2 distance ‖a − b‖ between two parameter lists (e.g. an unlearned model and
 * Retrain), over all tensors as one flat vector. Lists must align tensor by
 * tensor, as two params lists of one NetSpec do.
 */
export function weightDistance(a: readonly WeightInput[], b: readonly WeightInput[]): number {
  if (a.length !== b.length) {
    throw new ShapeMismatchError(`weight lists have ${a.length} and ${b.length} tensors; compare two models of the same NetSpec`);
  }
  // Two passes, as BLAS nrm2 does: squaring differences near 1e200 would
  // overflow, so each is divided by the largest before squaring.
  const xs = a.map(values);
  const ys = b.map(values);
  let scale = 0;
  for (let t = 0; t < a.length; t++) {
    const x = xs[t]!;
    const y = ys[t]!;
    if (x.length !== y.length) {
      throw new ShapeMismatchError(`weight tensor ${t} has ${x.length} and ${y.length} values; compare two models of the same NetSpec`);
    }
    for (let i = 0; i < x.length; i++) {
      const d = Math.abs(x[i]! - y[i]!);
      if (!Number.isFinite(d)) {
        throw new NonFiniteInputError(`weight tensor ${t} index ${i} holds ${x[i]} and ${y[i]}; the weights are not finite, check the model for divergence`);
      }
      if (d > scale) scale = d;
    }
  }
  if (scale === 0) return 0;
  let sum = 0;
  for (let t = 0; t < a.length; t++) {
    const x = xs[t]!;
    const y = ys[t]!;
    for (let i = 0; i < x.length; i++) {
      const d = (x[i]! - y[i]!) / scale;
      sum += d * d;
    }
  }
  return scale * Math.sqrt(sum);
}
