import { InvalidOptionError } from './errors.js';
import { readLabelled, type LabelsInput, type MatrixInput } from './matrix.js';
import { logSoftmaxRows } from './softmax.js';

/**
 * Default ceiling on a per-sample loss: −ln(1e-12) ≈ 27.63, i.e. the model is
 * treated as never putting less than 1e-12 on the true class. Without it a
 * filtered model (true-class probability 0) yields losses of 1e9 or Infinity,
 * and a logistic regression fitted on them degenerates.
 */
export const DEFAULT_MAX_LOSS = -Math.log(1e-12);

/** Options of the per-sample cross-entropy: the upper clip of each loss. */
export interface CrossEntropyOptions {
  /** Upper clip for each loss, > 0. Default {@link DEFAULT_MAX_LOSS} (≈ 27.63). */
  readonly maxLoss?: number;
}

/**
 * Per-sample cross-entropy −log softmax(logits)[label] (natural log), each
 * clipped to `maxLoss`, as a Float64Array of length N. Log-softmax is computed
 * stably, so the result is always finite; NaN or +Infinity logits throw
 * {@link NonFiniteInputError}.
 */
export function perSampleCrossEntropy(
  logits: MatrixInput,
  labels: LabelsInput,
  options: CrossEntropyOptions = {},
): Float64Array {
  const maxLoss = options.maxLoss ?? DEFAULT_MAX_LOSS;
  if (!(maxLoss > 0) || !Number.isFinite(maxLoss)) {
    throw new InvalidOptionError(`maxLoss must be a finite number > 0, got ${maxLoss}; use e.g. ${DEFAULT_MAX_LOSS.toFixed(2)}`);
  }
  const { m, y } = readLabelled(logits, labels, 'cross-entropy');
  const logp = logSoftmaxRows(m, 'cross-entropy');
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    const loss = -logp[i * m.cols + y[i]!]!;
    // −0 from a certain prediction is normalised to 0; the min also maps +Infinity to maxLoss.
    out[i] = loss > maxLoss ? maxLoss : loss > 0 ? loss : 0;
  }
  return out;
}

/** Mean of {@link perSampleCrossEntropy}. */
export function meanCrossEntropy(
  logits: MatrixInput,
  labels: LabelsInput,
  options: CrossEntropyOptions = {},
): number {
  const losses = perSampleCrossEntropy(logits, labels, options);
  let sum = 0;
  for (const l of losses) sum += l;
  return sum / losses.length;
}
