/**
 * Wires the relearn-time metric (`relearnTime` of ./relearn) into the
 * evaluation harness with one fixed recipe per comparison: the same D_f slice
 * and the same held-out evaluation samples for every model, so step counts
 * compare across methods and against gold.
 */
import { datasetSize, disposeDataset, subsetDataset, type Dataset } from '@metanet/data';
import { relearnSlice, relearnTime, type RelearnOptions } from './relearn';
import { sampleIndices } from './requests/select';
import type { EvaluationSets } from './evaluate';
import type { TrainedNet } from './types';

/** Options of the relearn hook: relearn options plus when to measure. */
export interface RelearnHookOptions extends RelearnOptions {
  /** Samples of D_f fine-tuned on. Default 64. */
  sliceSize?: number;
  /** Samples the forget accuracy is checked on (test-forget when the request has it, else D_f). Default 256. */
  evalSize?: number;
}

/** A relearn measurement attached to training, measured at chosen steps. */
export interface RelearnHook {
  /** Steps to regain the target forget accuracy (maxSteps when never reached). */
  relearn: (model: TrainedNet) => number;
  /** Frees the hook's tensors. */
  dispose(): void;
}

/** A relearn hook for `evaluateModel({ relearn })` over `sets`; dispose it after the comparison. */
export function createRelearnHook(sets: EvaluationSets, opts: RelearnHookOptions = {}): RelearnHook {
  const seed = opts.seed ?? 0;
  const slice = relearnSlice(sets.forget, opts.sliceSize ?? 64, seed);
  const source: Dataset = sets.testForget && datasetSize(sets.testForget) > 0 ? sets.testForget : sets.forget;
  const n = datasetSize(source);
  const k = Math.min(opts.evalSize ?? 256, n);
  const evalSet = subsetDataset(source, sampleIndices(Int32Array.from({ length: n }, (_, i) => i), k, seed ^ 0x3e1), `${source.name}[relearn-eval]`);
  return {
    relearn: (model) => relearnTime(model, slice, evalSet, opts).steps,
    dispose() {
      disposeDataset(slice);
      disposeDataset(evalSet);
    },
  };
}
