import { unlearningAccuracies, type LabelledLogits, type UnlearningAccuracies, type UnlearningSplits } from './accuracy.js';
import type { GapMetrics } from './avg-gap.js';
import { perSampleCrossEntropy } from './cross-entropy.js';
import { lossMia, type LossMiaOptions, type LossMiaResult } from './mia-loss.js';
import { svcMiaEfficacy, type SvcMiaOptions, type SvcMiaResult } from './mia-svc.js';

export interface EvaluateOptions {
  /** Options of the loss MIA (seed, splits, testSize, C, maxLoss). */
  readonly lossMia?: LossMiaOptions;
  /** Options of the SVC MIA (feature, C, gamma, seed, maxPerGroup). */
  readonly svcMia?: SvcMiaOptions;
}

/** Every standard metric of one model on one request. */
export interface UnlearningEvaluation {
  readonly accuracies: UnlearningAccuracies;
  /**
   * Homework LR-loss MIA: test-forget vs test-retain losses when both splits
   * are given (class-wise; near 1 once the class is forgotten), otherwise
   * forget vs test losses (NeurIPS 2023 kit; near 0.5 once forgotten).
   */
  readonly lossMia: LossMiaResult & { readonly groups: 'testForget-vs-testRetain' | 'forget-vs-test' };
  /** SalUn SVC MIA-efficacy on D_f. */
  readonly svcMia: SvcMiaResult;
  /** UA, RA, TA and MIA = 100 × SVC efficacy, in percent, ready for {@link avgGap}. */
  readonly gap: GapMetrics;
}

/**
 * Computes accuracies, the LR-loss MIA and the SVC MIA-efficacy of one model
 * from its logits on the request's splits, so every method row is scored the
 * same way. Deterministic given the seeds in `options`.
 */
export async function evaluateUnlearning(splits: UnlearningSplits, options: EvaluateOptions = {}): Promise<UnlearningEvaluation> {
  const accuracies = unlearningAccuracies(splits);
  const ce = (s: LabelledLogits): Float64Array =>
    perSampleCrossEntropy(s.logits, s.labels, options.lossMia?.maxLoss === undefined ? {} : { maxLoss: options.lossMia.maxLoss });
  const classWise = splits.testForget !== undefined && splits.testRetain !== undefined;
  const loss = classWise
    ? { ...lossMia(ce(splits.testForget!), ce(splits.testRetain!), options.lossMia), groups: 'testForget-vs-testRetain' as const }
    : { ...lossMia(ce(splits.forget), ce(splits.test), options.lossMia), groups: 'forget-vs-test' as const };
  const svc = await svcMiaEfficacy({ retain: splits.retain, test: splits.test, forget: splits.forget }, options.svcMia);
  return {
    accuracies,
    lossMia: loss,
    svcMia: svc,
    gap: { UA: accuracies.UA, RA: accuracies.RA, TA: accuracies.TA, MIA: 100 * svc.efficacy },
  };
}
