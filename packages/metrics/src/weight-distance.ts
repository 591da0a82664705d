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
  let sum = 0;
  for (let t = 0; t < a.length; t++) {
    const x = values(a[t]!);
    const y = values(b[t]!);
    if (x.length !== y.length) {
      throw new ShapeMismatchError(`weight tensor ${t} has ${x.length} and ${y.length} values; compare two models of the same NetSpec`);
    }
    for (let i = 0; i < x.length; i++) {
      const d = x[i]! - y[i]!;
      if (Number.isNaN(d) || !Number.isFinite(d)) {
        throw new NonFiniteInputError(`weight tensor ${t} index ${i} holds ${x[i]} and ${y[i]}; the weights are not finite, check the model for divergence`);
      }
      sum += d * d;
    }
  }
  return Math.sqrt(sum);
}
