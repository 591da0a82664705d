/**
 * `evaluateEditor`: scores an editor on held-out nets, each net × forget class, with
 * `evaluateModel` beside the original and `logit-mask` (the filtering reference a
 * deleting editor must beat on the probe). Means and stds over all (net, class) pairs.
 */
import { tf } from '@metanet/tensor';
import { labelsOf, subsetDataset, disposeDataset, type Dataset } from '@metanet/data';
import { evaluateModel, type EvaluationSets, type ModelMetrics } from '../evaluate';
import { logitMask } from '../methods/logit-mask';
import { splitByClasses } from '../requests/select';
import type { TrainedNet } from '../types';
import { applyEditor, type GMNEditor } from './editor';

/** Options of `evaluateEditor`: the editor, held-out nets, classes to forget and the data to score on. */
export interface EvaluateEditorOptions {
  editor: GMNEditor;
  nets: readonly TrainedNet[];
  train: Dataset;
  test: Dataset;
  classes: readonly number[];
  /** Δw scale. Default 1. */
  scale?: number;
  seed?: number;
  /** Cap on D_r samples scored for RA. Default 2000. */
  maxRetain?: number;
/** Called after every (net, class) pair is scored. */
  onPair?: (done: number, total: number) => void;
}

/** The numbers reported per model kind: accuracies in percent, probe AUC and accuracy in [0, 1]. */
export interface EditorScore {
  forgetAcc: number;
  retainAcc: number;
  testForgetAcc: number;
  testRetainAcc: number;
  probeAuc: number;
  probeForgetAccuracy: number;
  lrMia: number;
}

/** Scores of the original, the GMN edit and logit-mask, per (net, class) pair and on average. */
export interface EditorEvaluation {
  pairs: number;
  /** Mean and std per metric, per model kind. */
  mean: Record<'original' | 'gmn' | 'logitMask', EditorScore>;
  std: Record<'original' | 'gmn' | 'logitMask', EditorScore>;
  /** Mean seconds of one edit (graph building included). */
  editSeconds: number;
}

function pick(m: ModelMetrics): EditorScore {
  return {
    forgetAcc: m.forgetAcc,
    retainAcc: m.retainAcc,
    testForgetAcc: m.testForgetAcc ?? NaN,
    testRetainAcc: m.testRetainAcc ?? NaN,
    probeAuc: m.probe?.forgetAuc ?? NaN,
    probeForgetAccuracy: m.probe?.forgetAccuracy ?? NaN,
    lrMia: m.lrMia,
  };
}

function stats(rows: readonly EditorScore[]): { mean: EditorScore; std: EditorScore } {
  const keys = Object.keys(rows[0]!) as Array<keyof EditorScore>;
  const mean = {} as EditorScore;
  const std = {} as EditorScore;
  for (const k of keys) {
    const v = rows.map((r) => r[k]);
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    mean[k] = m;
    std[k] = Math.sqrt(v.reduce((a, b) => a + (b - m) * (b - m), 0) / v.length);
  }
  return { mean, std };
}

function setsFor(train: Dataset, test: Dataset, cls: number, numClasses: number): EvaluationSets {
  const tr = splitByClasses(labelsOf(train), [cls]);
  const te = splitByClasses(labelsOf(test), [cls]);
  return {
    forget: subsetDataset(train, tr.forget),
    retain: subsetDataset(train, tr.retain),
    test,
    testForget: subsetDataset(test, te.forget),
    testRetain: subsetDataset(test, te.retain),
    forgetClasses: [cls],
    numClasses,
  };
}

/** Scores `editor` on every (net, class) pair; see the module doc. */
export async function evaluateEditor(o: EvaluateEditorOptions): Promise<EditorEvaluation> {
  const numClasses = o.train.classNames.length;
  const rows = { original: [] as EditorScore[], gmn: [] as EditorScore[], logitMask: [] as EditorScore[] };
  let editSeconds = 0;
  const total = o.nets.length * o.classes.length;
  let done = 0;
  for (const cls of o.classes) {
    const sets = setsFor(o.train, o.test, cls, numClasses);
    const evalOpts = { seed: o.seed ?? 0, maxRetain: o.maxRetain ?? 2000, maxShadow: 500 };
    try {
      for (const net of o.nets) {
        rows.original.push(pick(await evaluateModel(net, sets, evalOpts)));
        const t0 = performance.now();
        const edited = applyEditor(o.editor, net, [cls], { scale: o.scale ?? 1 });
        editSeconds += (performance.now() - t0) / 1000;
        rows.gmn.push(pick(await evaluateModel(edited, sets, evalOpts)));
        tf.dispose([...edited.params, ...edited.buffers]);
        const masked = await logitMask.run({ model: net, forget: sets.forget, retain: sets.retain, forgetClasses: [cls], numClasses, seed: 0 });
        rows.logitMask.push(pick(await evaluateModel(masked.model, sets, evalOpts)));
        tf.dispose([...masked.model.params, ...masked.model.buffers]);
        o.onPair?.(++done, total);
      }
    } finally {
      [sets.forget, sets.retain, sets.testForget!, sets.testRetain!].forEach((d) => disposeDataset(d));
    }
  }
  const s = { original: stats(rows.original), gmn: stats(rows.gmn), logitMask: stats(rows.logitMask) };
  return {
    pairs: total,
    mean: { original: s.original.mean, gmn: s.gmn.mean, logitMask: s.logitMask.mean },
    std: { original: s.original.std, gmn: s.gmn.std, logitMask: s.logitMask.std },
    editSeconds: editSeconds / Math.max(1, total),
  };
}
