/**
 * What the unlearning page measures on a model, in its worker and in bench/unlearn-page.mjs alike (so the numbers
 * the page shows are the numbers the bench reports): test accuracy per class and overall, and, for a forgotten class,
 * the linear probe on penultimate features.
 */
import { accuracy, hostMatrix, probeRecoverability } from '@metanet/metrics';
import { labelsOf } from '@metanet/data/dataset';
import type { Dataset } from '@metanet/data';
import { predictOutputs, type TrainedNet } from '@metanet/unlearning';
import type { Scores } from './protocol';

/** Per-class and overall accuracy of `net` on `test`, and (with a forgotten class) the probe on penultimate features. */
export function scoreNet(net: TrainedNet, test: Dataset, numClasses: number, forgetClass?: number): Scores {
  const logits = predictOutputs(net, test);
  const labels = labelsOf(test);
  const perClass = Array.from({ length: numClasses }, (_, c) => {
    const rows = labels.reduce<number[]>((acc, y, i) => (y === c ? [...acc, i] : acc), []);
    const values = new Float32Array(rows.length * logits.cols);
    rows.forEach((r, k) => values.set(logits.values.subarray(r * logits.cols, (r + 1) * logits.cols), k * logits.cols));
    return accuracy(hostMatrix(values, rows.length, logits.cols), new Int32Array(rows.length).fill(c));
  });
  const scores: Scores = { perClass, overall: accuracy(logits, labels) };
  if (forgetClass !== undefined) {
    const p = probeRecoverability(predictOutputs(net, test, { penultimate: true }), labels, { forgetClasses: [forgetClass], numClasses, seed: 0 });
    scores.probe = { forgetAccuracy: p.forgetAccuracy, forgetAuc: p.forgetAuc };
  }
  return scores;
}
