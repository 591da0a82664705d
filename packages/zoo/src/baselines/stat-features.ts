/**
 * StatNN's input (Unterthiner et al. 2020; the NFN code's `StatFeaturizer`): for every weight and
 * bias tensor, in parameter order, its mean, variance and 0/25/50/75/100 % quantiles, 7 numbers.
 *
 * As in torch: the variance is the unbiased one (`tensor.var`, divisor n − 1) and quantiles
 * interpolate linearly between order statistics (`torch.quantile`'s default), at position q·(n − 1).
 * A one-element tensor has no unbiased variance (torch gives NaN); it gets 0 so the MLP's input
 * stays finite. Norm γ/β are parameters too and get their 7 numbers like any other tensor.
 */
import type { NetArrays } from '@metanet/nets';

/** Statistics per tensor, in this order. */
export const STAT_NAMES = ['mean', 'var', 'q0', 'q25', 'q50', 'q75', 'q100'] as const;

const QUANTILES = [0, 0.25, 0.5, 0.75, 1];

/** The 7 statistics of one tensor's values. */
export function tensorStats(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const out = new Float64Array(STAT_NAMES.length);
  if (n === 0) return out;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  out[0] = mean;
  out[1] = n > 1 ? ss / (n - 1) : 0;
  QUANTILES.forEach((q, k) => {
    const pos = q * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, n - 1);
    out[2 + k] = sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
  });
  return out;
}

/** StatNN features of a net: 7 statistics per parameter tensor, concatenated (7 · tensors values). */
export function statFeatures(net: Pick<NetArrays, 'params'>): Float32Array {
  const out = new Float32Array(net.params.length * STAT_NAMES.length);
  net.params.forEach((p, t) => out.set(tensorStats(p), t * STAT_NAMES.length));
  return out;
}
