import { lrAttack, type LrAttackOptions, type LrAttackResult } from './lr-attack.js';
import { EmptyInputError } from './errors.js';
import { toHostMatrix, type MatrixInput } from './matrix.js';
import { entropyOf } from './mia-features.js';
import { softmaxRows } from './softmax.js';

/** Options of the entropy-based membership-inference attack. */
export type EntropyMiaOptions = LrAttackOptions;
/** Result of the entropy-based membership-inference attack. */
export type EntropyMiaResult = LrAttackResult;

/** Prediction entropy −Σ p log p (nats) of each row of logits; needs no labels. */
export function predictionEntropy(logits: MatrixInput): Float64Array {
  const m = toHostMatrix(logits, 'entropy logits');
  if (m.rows === 0 || m.cols === 0) throw new EmptyInputError(`entropy got logits of shape (${m.rows}, ${m.cols}); pass at least one row and one class`);
  const p = softmaxRows(m, 'entropy logits');
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = entropyOf(p, i * m.cols, m.cols);
  return out;
}

/**
 * Entropy-based membership inference: the homework protocol's attack procedure of
 * `lrAttack` (balanced subsample, logistic regression, 10 stratified
 * shuffle splits) on the prediction entropy instead of the loss. A 1-D
 * logistic regression is a learned threshold, so this is the threshold attack
 * of Yeom et al. / Song & Mittal with the threshold fitted on held-in data.
 * Entropy is label-free, so it also applies where labels are unknown.
 */
export function entropyMia(groupA: MatrixInput, groupB: MatrixInput, options: EntropyMiaOptions = {}): EntropyMiaResult {
  return lrAttack(predictionEntropy(groupA), predictionEntropy(groupB), 'entropy MIA', options);
}
