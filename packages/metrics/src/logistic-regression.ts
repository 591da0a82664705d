import { EmptyInputError, InvalidOptionError, NonFiniteInputError, ShapeMismatchError, SingleClassError } from './errors.js';

/** A fitted binary logistic regression: P(y = 1 | x) = σ(w·x + b). */
export interface LogisticModel {
  readonly weights: Float64Array;
  readonly intercept: number;
}

export interface LogisticOptions {
  /** Inverse L2 strength, as sklearn's `C`; the intercept is not penalised (as sklearn's lbfgs). Default 1. */
  readonly C?: number;
  /** Newton iterations before giving up on the tolerance. Default 100. */
  readonly maxIter?: number;
}

/**
 * Fits binary L2-regularised logistic regression by damped Newton steps,
 * minimising ½‖w‖² + C Σ log(1 + exp(−s_i (w·x_i + b))), s_i = ±1 — the
 * objective of sklearn's `LogisticRegression()` with its default C = 1.
 * Newton is exact enough and tiny here: the MIAs fit 1–2 features, so the
 * Hessian is at most 3×3. The objective is strictly convex in w, and with the
 * unpenalised intercept still has a unique minimum whenever both classes
 * occur, so the line search always finds descent.
 *
 * @param x row-major (n, d) features
 * @param y n labels, each 0 or 1
 */
export function fitLogisticRegression(
  x: Float64Array,
  y: Uint8Array,
  d: number,
  options: LogisticOptions = {},
): LogisticModel {
  const C = options.C ?? 1;
  const maxIter = options.maxIter ?? 100;
  if (!(C > 0) || !Number.isFinite(C)) throw new InvalidOptionError(`logistic regression C must be a finite number > 0, got ${C}; sklearn's default is 1`);
  const n = y.length;
  if (n === 0) throw new EmptyInputError('logistic regression got no samples; pass at least one sample per class');
  if (x.length !== n * d) throw new ShapeMismatchError(`logistic regression: ${x.length} feature values for ${n} samples × ${d} features; fix the feature matrix shape`);
  let ones = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new InvalidOptionError(`logistic regression label ${y[i]} at index ${i} is not 0 or 1; binarise the labels`);
    ones += y[i]!;
  }
  if (ones === 0 || ones === n) {
    throw new SingleClassError(`logistic regression needs both classes but all ${n} labels are ${ones === 0 ? 0 : 1}; include members and non-members`);
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) throw new NonFiniteInputError(`logistic regression feature ${x[i]} at index ${i}; clip or drop non-finite features`);
  }

  const p = d + 1; // the last coordinate is the intercept
  const theta = new Float64Array(p);
  const objective = (t: Float64Array): number => {
    let f = 0;
    for (let j = 0; j < d; j++) f += 0.5 * t[j]! * t[j]!;
    for (let i = 0; i < n; i++) {
      const z = margin(x, i, d, t);
      const s = y[i] === 1 ? z : -z;
      f += C * softplus(-s);
    }
    return f;
  };

  let f = objective(theta);
  for (let iter = 0; iter < maxIter; iter++) {
    const g = new Float64Array(p);
    const h = new Float64Array(p * p);
    for (let j = 0; j < d; j++) {
      g[j] = theta[j]!;
      h[j * p + j] = 1;
    }
    for (let i = 0; i < n; i++) {
      const z = margin(x, i, d, theta);
      const q = sigmoid(z);
      const r = C * (q - y[i]!);
      const w = C * q * (1 - q);
      for (let a = 0; a < p; a++) {
        const xa = a < d ? x[i * d + a]! : 1;
        g[a] = g[a]! + r * xa;
        for (let b = 0; b <= a; b++) {
          const xb = b < d ? x[i * d + b]! : 1;
          h[a * p + b] = h[a * p + b]! + w * xa * xb;
        }
      }
    }
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) h[b * p + a] = h[a * p + b]!;
    let gNorm = 0;
    for (const v of g) gNorm = Math.max(gNorm, Math.abs(v));
    if (gNorm < 1e-10 * Math.max(1, C * n)) break;
    const step = solveSymmetric(h, g, p);
    // Backtracking keeps every step a descent step even far from the optimum,
    // where a full Newton step on the logistic loss can overshoot.
    let alpha = 1;
    let next = theta;
    let fNext = f;
    for (let k = 0; k < 60; k++) {
      next = new Float64Array(p);
      for (let a = 0; a < p; a++) next[a] = theta[a]! - alpha * step[a]!;
      fNext = objective(next);
      if (fNext <= f) break;
      alpha /= 2;
    }
    if (!(fNext <= f)) break;
    const done = f - fNext <= 1e-14 * Math.max(1, Math.abs(f));
    theta.set(next);
    f = fNext;
    if (done) break;
  }
  return { weights: theta.slice(0, d), intercept: theta[d]! };
}

/** P(y = 1 | x) for each row of a row-major (n, d) matrix. */
export function predictLogisticProba(model: LogisticModel, x: Float64Array): Float64Array {
  const d = model.weights.length;
  const n = d === 0 ? 0 : x.length / d;
  const out = new Float64Array(n);
  const t = new Float64Array(d + 1);
  t.set(model.weights);
  t[d] = model.intercept;
  for (let i = 0; i < n; i++) out[i] = sigmoid(margin(x, i, d, t));
  return out;
}

function margin(x: Float64Array, i: number, d: number, t: Float64Array): number {
  let z = t[d]!;
  for (let j = 0; j < d; j++) z += t[j]! * x[i * d + j]!;
  return z;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** Solves H s = g for a symmetric positive-definite H by Cholesky. */
function solveSymmetric(h: Float64Array, g: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = h[i * p + j]!;
      for (let k = 0; k < j; k++) s -= l[i * p + k]! * l[j * p + k]!;
      if (i === j) l[i * p + i] = Math.sqrt(Math.max(s, 1e-300));
      else l[i * p + j] = s / l[j * p + j]!;
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = g[i]!;
    for (let k = 0; k < i; k++) s -= l[i * p + k]! * z[k]!;
    z[i] = s / l[i * p + i]!;
  }
  const out = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < p; k++) s -= l[k * p + i]! * out[k]!;
    out[i] = s / l[i * p + i]!;
  }
  return out;
}
