/**
 * The editor's trade-off curve: forget and retain accuracy of w + s·Δw as the scale s
 * varies (s = 0 is the original, bit for bit; s = 1 the edit as trained). Accuracies only,
 * on D_f and a seeded D_r subsample, so a curve point costs one edit and two forwards.
 */
import { tf } from '@metanet/tensor';
import { accuracy } from '@metanet/metrics';
import { datasetSize, disposeDataset, labelsOf, subsetDataset, type Dataset } from '@metanet/data';
import type { EvaluationSets } from '../evaluate';
import { predictOutputs } from '../predict';
import { sampleIndices } from '../requests/select';
import type { TrainedNet } from '../types';
import { applyEditor, type GMNEditor } from './editor';

/** One point of the curve: the scale on Δw and the edited net's accuracies (%). */
export interface TradeoffPoint {
  scale: number;
  forgetAcc: number;
  retainAcc: number;
}

/** The scales a curve visits unless told otherwise. */
export const DEFAULT_TRADEOFF_SCALES: readonly number[] = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5];

function acc(net: TrainedNet, ds: Dataset): number {
  return 100 * accuracy(predictOutputs(net, ds), labelsOf(ds));
}

/** The curve of `editor` on `net` forgetting `cls`, over `scales`; retain accuracy on at most `maxRetain` D_r samples. */
export function tradeoffCurve(editor: GMNEditor, net: TrainedNet, cls: number, sets: EvaluationSets, scales: readonly number[] = DEFAULT_TRADEOFF_SCALES, maxRetain = 1000): TradeoffPoint[] {
  const n = datasetSize(sets.retain);
  const retain = n > maxRetain ? subsetDataset(sets.retain, sampleIndices(Int32Array.from({ length: n }, (_, i) => i), maxRetain, 0x7ade), `${sets.retain.name}[curve]`) : sets.retain;
  try {
    return scales.map((scale) => {
      const edited = applyEditor(editor, net, [cls], { scale });
      try {
        return { scale, forgetAcc: acc(edited, sets.forget), retainAcc: acc(edited, retain) };
      } finally {
        tf.dispose([...edited.params, ...edited.buffers]);
      }
    });
  } finally {
    if (retain !== sets.retain) disposeDataset(retain);
  }
}
