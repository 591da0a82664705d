/**
 * Metrics of a task request (forget head B):
 * - every head's test accuracy: head B against gold's (near chance), the kept
 *   heads against the original's;
 * - a linear probe for head B's labels on the trunk's features (the last dense
 *   layer's input): what the trunk still holds of task B, against gold's. The
 *   probe is @metanet/metrics' probe recoverability; its score here is the
 *   balanced accuracy (mean per-label recall over B's labels, chance = 1 / units),
 *   because B's labels are few and unequal in size (Fashion-MNIST's groups hold
 *   4, 2 and 4 classes).
 */
import { findHead, headLabels } from '@metanet/spec';
import { evaluate } from '@metanet/nets';
import { labelsOf, type Dataset } from '@metanet/data';
import { probeRecoverability } from '@metanet/metrics';
import { predictOutputs } from '../predict';
import type { TrainedNet } from '../types';

/** What `evaluateTask` measures; accuracies in percent. */
export interface TaskMetrics {
  /** Test accuracy of every head, by name. */
  headAccuracy: Record<string, number>;
  /** Test accuracy of the forgotten head. */
  forgetHeadAccuracy: number;
  /** Mean test accuracy of the kept heads. */
  retainAccuracy: number;
  /** Balanced accuracy of a linear probe for the forgotten head's labels on trunk features (held-out part of the test set). */
  probeAccuracy: number;
  /** Chance level of the probe's balanced accuracy: 100 / units of the forgotten head. */
  probeChance: number;
}

/** Options of `evaluateTask`: the probe's seed and steps, and the forward batch size. */
export interface EvaluateTaskOptions {
  /** Seeds the probe's train/held-out split. Default 0. */
  seed?: number;
  /** Probe gradient steps. Default 200. */
  probeEpochs?: number;
  /** Forward batch size. Default 256. */
  batchSize?: number;
}

/** Head accuracies and the trunk probe of `model` on `test`, for forgetting head `head`. */
export function evaluateTask(model: TrainedNet, test: Dataset, head: string, opts: EvaluateTaskOptions = {}): TaskMetrics {
  const forgotten = findHead(model.spec, head);
  const ev = evaluate(model.spec, model.params, test, { buffers: model.buffers, batchSize: opts.batchSize });
  const headAccuracy: Record<string, number> = {};
  for (const [name, acc] of Object.entries(ev.headAccuracy ?? {})) headAccuracy[name] = 100 * acc;
  const kept = Object.keys(headAccuracy).filter((n) => n !== head);
  const features = predictOutputs(model, test, { batchSize: opts.batchSize, penultimate: true });
  const y = headLabels(forgotten, labelsOf(test));
  const present = [...new Set(y)].sort((a, b) => a - b);
  // One probe (its training ignores forgetClasses); each call reads one label's recall off it.
  const recalls = present.map(
    (c) => probeRecoverability(features, y, { forgetClasses: [c], numClasses: forgotten.units, seed: opts.seed ?? 0, epochs: opts.probeEpochs }).forgetAccuracy,
  );
  return {
    headAccuracy,
    forgetHeadAccuracy: headAccuracy[head] as number,
    retainAccuracy: kept.length ? kept.reduce((s, n) => s + (headAccuracy[n] as number), 0) / kept.length : NaN,
    probeAccuracy: (100 * recalls.reduce((a, b) => a + b, 0)) / Math.max(1, recalls.length),
    probeChance: 100 / forgotten.units,
  };
}
