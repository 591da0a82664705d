import { EmptyInputError, ShapeMismatchError } from './errors.js';
import { toHostMatrix, type MatrixInput } from './matrix.js';
import { logSoftmaxRows } from './softmax.js';

/**
 * Divergences between two models' softmax outputs on the same samples (e.g.
 * the unlearned model and Retrain on D_f). Inputs are logits, row i of both
 * for sample i; every result is a mean over rows.
 */

// Log-probabilities below ln(1e-12) are floored there inside KL, the same
// floor as the clipped cross-entropy, so a −∞ logit gives a large finite KL
// rather than Infinity.
const LOG_FLOOR = Math.log(1e-12);

function readPair(p: MatrixInput, q: MatrixInput, what: string): { lp: Float64Array; lq: Float64Array; rows: number; cols: number } {
  const a = toHostMatrix(p, `${what} first logits`);
  const b = toHostMatrix(q, `${what} second logits`);
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new ShapeMismatchError(`${what}: logits of shape (${a.rows}, ${a.cols}) and (${b.rows}, ${b.cols}) differ; evaluate both models on the same samples`);
  }
  if (a.rows === 0 || a.cols === 0) throw new EmptyInputError(`${what} got no samples; pass at least one row of logits`);
  return { lp: logSoftmaxRows(a, `${what} first logits`), lq: logSoftmaxRows(b, `${what} second logits`), rows: a.rows, cols: a.cols };
}

/** Mean KL(softmax p ‖ softmax q) in nats, log-probabilities floored at ln 1e-12. */
export function klDivergence(p: MatrixInput, q: MatrixInput): number {
  const { lp, lq, rows, cols } = readPair(p, q, 'KL divergence');
  let sum = 0;
  for (let i = 0; i < rows * cols; i++) {
    const pi = Math.exp(lp[i]!);
    if (pi > 0) sum += pi * (Math.max(lp[i]!, LOG_FLOOR) - Math.max(lq[i]!, LOG_FLOOR));
  }
  return Math.max(0, sum / rows);
}

/** Options of the Jensen–Shannon divergence. */
export interface JsOptions {
  /** Logarithm base: Math.E (nats, range [0, ln 2]) or 2 (bits, range [0, 1]). Default Math.E. */
  readonly base?: number;
}

/**
 * Mean Jensen–Shannon divergence ½KL(p‖m) + ½KL(q‖m), m = ½(p + q).
 * Symmetric and bounded (ln 2 in nats), so it needs no floor.
 */
export function jsDivergence(p: MatrixInput, q: MatrixInput, options: JsOptions = {}): number {
  const { lp, lq, rows, cols } = readPair(p, q, 'JS divergence');
  return meanJs(lp, lq, rows, cols) / Math.log(options.base ?? Math.E);
}

function meanJs(lp: Float64Array, lq: Float64Array, rows: number, cols: number): number {
  let sum = 0;
  for (let i = 0; i < rows * cols; i++) {
    const a = Math.exp(lp[i]!);
    const b = Math.exp(lq[i]!);
    const m = 0.5 * (a + b);
    if (a > 0) sum += 0.5 * a * (lp[i]! - Math.log(m));
    if (b > 0) sum += 0.5 * b * (lq[i]! - Math.log(m));
  }
  // Rounding can leave −1e-17 where the true value is 0.
  return Math.max(0, sum / rows);
}

/**
 * Activation distance (Chundawat et al. 2023; Golatkar et al. 2020): mean ℓ2
 * distance between the two models' output probability vectors.
 */
export function activationDistance(p: MatrixInput, q: MatrixInput): number {
  const { lp, lq, rows, cols } = readPair(p, q, 'activation distance');
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const d = Math.exp(lp[i * cols + j]!) - Math.exp(lq[i * cols + j]!);
      s += d * d;
    }
    sum += Math.sqrt(s);
  }
  return sum / rows;
}

/**
 * Zero Retrain Forgetting (Chundawat et al. 2023, "Can bad teaching induce
 * forgetting?"): 1 − mean JS(unlearned, randomly initialised model) on D_f.
 * JS is taken in bits so ZRF spans [0, 1] as the paper states (natural log
 * would give [1 − ln 2, 1]); 1 means the outputs on D_f match a random model.
 */
export function zrf(unlearned: MatrixInput, randomInit: MatrixInput): number {
  const { lp, lq, rows, cols } = readPair(unlearned, randomInit, 'ZRF');
  return 1 - meanJs(lp, lq, rows, cols) / Math.LN2;
}
