import { NonFiniteInputError } from './errors.js';
import type { HostMatrix } from './matrix.js';

/**
 * Row-wise log-softmax in float64, computed as x − max − log Σ exp(x − max)
 * so huge logits (1e30) neither overflow nor lose the winner.
 *
 * −Infinity logits are accepted and mean "probability exactly 0": that is how
 * a filtering baseline (logit mask) expresses itself, and the metrics must
 * score it rather than refuse it. NaN, +Infinity, and rows that are entirely
 * −Infinity have no probability distribution and throw.
 */
export function logSoftmaxRows(m: HostMatrix, what: string): Float64Array {
  const { values, rows, cols } = m;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let max = -Infinity;
    for (let j = 0; j < cols; j++) {
      const v = values[base + j]!;
      if (Number.isNaN(v) || v === Infinity) {
        throw new NonFiniteInputError(`${what}: logit ${v} at row ${i}, column ${j}; the model produced non-finite outputs, check it for diverged weights`);
      }
      if (v > max) max = v;
    }
    if (max === -Infinity) {
      throw new NonFiniteInputError(`${what}: every logit in row ${i} is -Infinity, so there is no distribution; leave at least one class finite`);
    }
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += Math.exp(values[base + j]! - max);
    const logSum = Math.log(sum) + max;
    for (let j = 0; j < cols; j++) out[base + j] = values[base + j]! - logSum;
  }
  return out;
}

/** Row-wise softmax probabilities in float64 (exp of {@link logSoftmaxRows}). */
export function softmaxRows(m: HostMatrix, what: string): Float64Array {
  const out = logSoftmaxRows(m, what);
  for (let i = 0; i < out.length; i++) out[i] = Math.exp(out[i]!);
  return out;
}
