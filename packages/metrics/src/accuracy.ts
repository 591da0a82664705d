import { NonFiniteInputError } from './errors.js';
import { readLabelled, type LabelsInput, type MatrixInput } from './matrix.js';

/**
 * Fraction in [0, 1] of rows whose argmax equals the label. Ties go to the
 * lowest class index, as in numpy and torch argmax. −Infinity logits are fine
 * (a masked class simply never wins); NaN throws.
 */
export function accuracy(logits: MatrixInput, labels: LabelsInput): number {
  const { m, y } = readLabelled(logits, labels, 'accuracy');
  const { values, rows, cols } = m;
  let correct = 0;
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let best = 0;
    let bestValue = values[base]!;
    for (let j = 0; j < cols; j++) {
      const v = values[base + j]!;
      if (Number.isNaN(v)) {
        throw new NonFiniteInputError(`accuracy: logit NaN at row ${i}, column ${j}; the model produced NaN outputs, check it for diverged weights`);
      }
      if (v > bestValue) {
        bestValue = v;
        best = j;
      }
    }
    if (best === y[i]) correct++;
  }
  return correct / rows;
}

/** Logits and labels of one evaluation split. */
export interface LabelledLogits {
  readonly logits: MatrixInput;
  readonly labels: LabelsInput;
}

/** The five evaluation splits of an unlearning request. */
export interface UnlearningSplits {
  /** D_f: the forgotten training samples. */
  readonly forget: LabelledLogits;
  /** D_r: the retained training samples. */
  readonly retain: LabelledLogits;
  /** The whole test set. */
  readonly test: LabelledLogits;
  /** Test samples of the forgotten class(es); omit when the request has none (random subset). */
  readonly testForget?: LabelledLogits;
  /** Test samples of the retained class(es); omit when the request has none (random subset). */
  readonly testRetain?: LabelledLogits;
}

/** Accuracies of one model on the unlearning splits, all in percent (0–100). */
export interface UnlearningAccuracies {
  /** Unlearning accuracy: 100 − forgetAcc. */
  readonly UA: number;
  /** Retain accuracy (= retainAcc). */
  readonly RA: number;
  /** Test accuracy (= testAcc). */
  readonly TA: number;
  readonly forgetAcc: number;
  readonly retainAcc: number;
  readonly testAcc: number;
  /** Present only when `testForget` was given. */
  readonly testForgetAcc?: number;
  /** Present only when `testRetain` was given. */
  readonly testRetainAcc?: number;
}

/**
 * UA, RA, TA and the per-split accuracies, in percent, as in the SalUn and
 * homework-protocol tables (percent keeps them on the scale Avg Gap averages over).
 */
export function unlearningAccuracies(splits: UnlearningSplits): UnlearningAccuracies {
  const pct = (s: LabelledLogits): number => 100 * accuracy(s.logits, s.labels);
  const forgetAcc = pct(splits.forget);
  const retainAcc = pct(splits.retain);
  const testAcc = pct(splits.test);
  const result: UnlearningAccuracies = {
    UA: 100 - forgetAcc,
    RA: retainAcc,
    TA: testAcc,
    forgetAcc,
    retainAcc,
    testAcc,
    ...(splits.testForget ? { testForgetAcc: pct(splits.testForget) } : {}),
    ...(splits.testRetain ? { testRetainAcc: pct(splits.testRetain) } : {}),
  };
  return result;
}
