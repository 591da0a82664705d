import { DegenerateInputError, EmptyInputError, NonFiniteInputError, ShapeMismatchError } from './errors.js';

function checkPair(x: ArrayLike<number>, y: ArrayLike<number>, what: string, minLength: number): void {
  if (x.length !== y.length) throw new ShapeMismatchError(`${what}: ${x.length} and ${y.length} values; pass one prediction per target`);
  if (x.length < minLength) throw new EmptyInputError(`${what} needs at least ${minLength} pairs, got ${x.length}; pass more samples`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!)) {
      throw new NonFiniteInputError(`${what}: pair ${i} is (${x[i]}, ${y[i]}); every value must be finite`);
    }
  }
}

/**
 * Kendall's τ-b, which corrects for ties (the variant scipy.stats.kendalltau
 * returns by default): (C − D) / √((n₀ − n₁)(n₀ − n₂)), with n₀ = n(n − 1)/2
 * and n₁, n₂ the pairs tied in x and in y. O(n²) pairs, fine for the few
 * thousand networks of a zoo test split.
 */
export function kendallTau(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPair(x, y, 'Kendall tau', 2);
  const n = x.length;
  let concordant = 0;
  let discordant = 0;
  let tiesX = 0;
  let tiesY = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(xi - x[j]!);
      const dy = Math.sign(yi - y[j]!);
      if (dx === 0) tiesX++;
      if (dy === 0) tiesY++;
      if (dx !== 0 && dy !== 0) {
        if (dx === dy) concordant++;
        else discordant++;
      }
    }
  }
  const n0 = (n * (n - 1)) / 2;
  const denom = Math.sqrt((n0 - tiesX) * (n0 - tiesY));
  if (denom === 0) {
    throw new DegenerateInputError(`Kendall tau is undefined because ${n0 === tiesX ? 'x' : 'y'} is constant; rank correlation needs variation in both`);
  }
  return (concordant - discordant) / denom;
}

/**
 * Coefficient of determination 1 − SS_res / SS_tot, as sklearn's r2_score. For
 * a constant target (SS_tot = 0) it returns 1 for a perfect prediction and 0
 * otherwise, as sklearn does, instead of NaN or −Infinity.
 */
export function rSquared(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkPair(yTrue, yPred, 'R²', 2);
  const n = yTrue.length;
  // R² is invariant to scaling both series; dividing by the largest magnitude
  // keeps the squares of values near 1e300 from overflowing to Inf / Inf.
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(yTrue[i]!), Math.abs(yPred[i]!));
  if (scale === 0) return 1;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i]! / scale;
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i]! / scale;
    ssRes += (t - yPred[i]! / scale) ** 2;
    ssTot += (t - mean) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}
