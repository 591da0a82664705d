/**
 * `trainEditor`: trains a GMN editor over any list of trained classifiers of one
 * architecture family (the apps pass a zoo; this package never reads one).
 *
 * Each step samples a net and a forget class, edits the net with the editor, and
 * runs the edited net through nets' functional `forward`, so the loss's gradient
 * reaches the editor through w' = w + Δw:
 * - retain: KL(f_w ‖ f_w') on a batch of the other classes;
 * - forget: KL(gold ‖ f_w') on a batch of the class when a gold net (retrained
 *   without it) is given; otherwise the original's softmax with the class removed
 *   and renormalised (what gold predicts on those images, to first order);
 * - deletion (switchable, for the ablation): a ridge probe on the edited net's
 *   penultimate features (see ridge-probe.ts), its held-out score above gold's score
 *   on the same batch (or `probeTarget` without gold) penalised quadratically;
 * - relearn (with gold; see deletion-terms.ts): the forget class's probability after a
 *   few unrolled SGD steps of the edited head on forget rows, its squared gap to gold's
 *   value on the same rows penalised (both sides: faster is a filter, slower is hiding);
 * - LDA probe (with gold; see lda-probe.ts; off by default): the forget class's recall by a
 *   K-class linear discriminant fitted on the edited net's penultimate features of a
 *   stratified probe batch (`ldaPerClass` rows of every class), its excess over gold's recall
 *   on the same rows (plus `ldaMargin`) penalised quadratically: the metric's probe, made
 *   differentiable;
 * - feature match (with gold): 1 − linear CKA between the edited net's and gold's
 *   penultimate features on the whole batch, basis-free;
 * - same-basis gold targets (with gold; see gold-terms.ts; off by default): the
 *   per-tensor normalised distance of w + Δw to gold's weights (`weight`), and the MSE
 *   of per-unit standardised penultimate features to gold's on the whole batch (`feature`)
 *   or on the forget rows only (`featureForget`); with `weightDrift` < 1 the weight target
 *   keeps only that fraction of the class-independent drift (the mean over the net's golds),
 *   see `classSpecificGold`;
 * - optionally ‖Δw‖²: the mean square of the head's unscaled output.
 *
 * Setting `deletion`, `relearn` and `cka` to 0 is the ablation (forget-to-gold and
 * retain-KL alone, whose optimum without gold is filtering).
 */
import { createRng, NonFiniteLossError, tf } from '@metanet/tensor';
import { forward } from '@metanet/nets';
import { labelsOf, type Dataset } from '@metanet/data';
import { InvalidHyperparameterError, NetDatasetMismatchError } from '../errors';
import { klToTargetLoss } from '../losses';
import { penultimateNet } from '../predict';
import type { TrainedNet } from '../types';
import { createEditor, editDeltas, editedParams, prepareNet, type EditorConfig, type GMNEditor, type PreparedNet } from './editor';
import { ridgeProbeScore } from './ridge-probe';
import { linearCka, relearnProxy } from './deletion-terms';
import { ldaProbeRecall } from './lda-probe';
import { featureToGold, weightTarget, weightTargets, weightToGold } from './gold-terms';

/** A gold model: `net` (index into `nets`) retrained without `forgetClass`. */
export interface GoldNet {
  net: number;
  forgetClass: number;
  model: TrainedNet;
}

/** Loss weights and the deletion term's switch. */
export interface EditorLossOptions {
  /** Default 1. */
  retain: number;
  /**
   * The retain term's target: 'original' = f_w's softmax; 'renormalised' = f_w's softmax with the
   * forgotten class removed and renormalised, what gold predicts on retain images to first order.
   * Only the latter pushes the class's logit down away from the forget rows, as retraining does.
   * Default 'original'.
   */
  retainTarget: 'original' | 'renormalised';
  /** Default 1. */
  forget: number;
  /** Weight of the probe penalty; 0 turns the deletion term off (the ablation). Default 8. */
  deletion: number;
  /** Probe score (soft AUC) the edit may reach without gold, in (0.5, 1]. Default 0.6. */
  probeTarget: number;
  /** Added to gold's probe score to get the target when gold exists. Default 0.02. */
  probeMargin: number;
  /** Weight of the relearn-proxy gap to gold (0 = off). Only (net, class) pairs with gold get it. Default 4. */
  relearn: number;
  /** Unrolled head steps of the relearn proxy. Default 5. */
  relearnSteps: number;
  /** Step size of the relearn proxy (logit units per step). Default 1. */
  relearnLr: number;
  /** Weight of 1 − CKA(edited features, gold features) (0 = off). Only pairs with gold get it. Default 1. */
  cka: number;
  /** Weight of the mean per-tensor ‖w + Δw − w*‖² / ‖w − w*‖² to gold's weights (0 = off). Pairs with gold only. Default 0. */
  weight: number;
  /**
   * Fraction of the class-independent drift (mean over the net's golds − w) the weight target keeps:
   * 1 = gold's weights, 0 = w + (w*_c − mean_k w*_k), the class-specific part alone. Below 1 every
   * net with a gold needs golds for at least 2 classes. Default 1.
   */
  weightDrift: number;
  /** Weight of the MSE of per-unit standardised penultimate features to gold's (0 = off). Pairs with gold only. Default 0. */
  feature: number;
  /** Weight of the same feature MSE on the forget rows only (0 = off). Pairs with gold only. Default 0. */
  featureForget: number;
  /** Weight of the LDA-probe penalty, relu(recall' − recall* − ldaMargin)² (0 = off). Pairs with gold only. Default 0. */
  lda: number;
  /** Recall above gold's that the LDA probe may keep without penalty. Default 0. */
  ldaMargin: number;
  /** Probe-batch rows per class (all K classes) when `lda` > 0. Default 24. */
  ldaPerClass: number;
  /** Weight of mean(head output²). Default 0. */
  delta: number;
}

/** The loss weights `trainEditor` uses unless told otherwise (deletion weighted 8, probe target 0.6). */
export const DEFAULT_EDITOR_LOSS: EditorLossOptions = { retain: 1, retainTarget: 'original', forget: 1, deletion: 8, probeTarget: 0.6, probeMargin: 0.02, relearn: 4, relearnSteps: 5, relearnLr: 1, cka: 1, weight: 0, weightDrift: 1, feature: 0, featureForget: 0, lda: 0, ldaMargin: 0, ldaPerClass: 24, delta: 0 };

/** The ablation: every deletion term off (retain KL and the forget term alone). */
export const NO_DELETION: Partial<EditorLossOptions> = { deletion: 0, relearn: 0, cka: 0 };

/** Options of `trainEditor`: the nets, data, optional gold nets, steps, learning rate and loss weights. */
export interface TrainEditorOptions {
  /** Trained classifiers of one architecture family. */
  nets: readonly TrainedNet[];
  /** The data they were trained on (train split). */
  dataset: Dataset;
  numClasses: number;
  /** Gold nets for some (net, class) pairs. */
  gold?: readonly GoldNet[];
  /** An editor to continue training; default a new one from `config`. */
  editor?: GMNEditor;
  config?: Partial<EditorConfig>;
  /** Optimiser steps. Default 300. */
  steps?: number;
  /** Adam learning rate. Default 1e-3. */
  lr?: number;
  /** Retain images per step. Default 64. */
  retainBatch?: number;
  /** Forget images per step (also the probe's forget rows). Default 32. */
  forgetBatch?: number;
  /** Classes requests are drawn from. Default all. */
  classes?: readonly number[];
  loss?: Partial<EditorLossOptions>;
  /** Global gradient-norm clip. Default 1. */
  clip?: number;
  seed?: number;
/** Called after every step with the loss parts. */
  onStep?: (step: number, total: number, parts: LossParts) => void;
}

/** One step's loss terms. */
export interface LossParts {
  total: number;
  retain: number;
  forget: number;
  /** Probe score of the edited net on this step's batch (before the penalty). */
  probe: number;
  deletion: number;
  /** Relearn proxy of the edited net (NaN without gold). */
  relearnProxy: number;
  /** Gold's relearn proxy on the same rows (NaN without gold). */
  goldRelearnProxy: number;
  /** CKA of the edited net's features with gold's (NaN without gold). */
  cka: number;
  /** Mean normalised squared distance of the edited weights to the weight target (gold's unless `weightDrift` < 1; 1 = unedited; NaN without gold). */
  weightToGold: number;
  /** MSE of standardised features to gold's (NaN without gold). */
  featureToGold: number;
  /** LDA-probe recall of the forget class by the edited net's features (NaN unless `lda` > 0 and gold exists). */
  lda: number;
  /** Gold's LDA-probe recall on the same rows (NaN unless `lda` > 0 and gold exists). */
  goldLda: number;
  delta: number;
}

/** What `trainEditor` returns: the trained editor, the budget spent and the loss history. */
export interface TrainEditorResult {
  editor: GMNEditor;
  steps: number;
  seconds: number;
  /** Mean parameter edges the editor read per step. */
  edgesPerStep: number;
  history: LossParts[];
}

interface Batches {
  /** Rows: nr retain, nf forget, then `probe` rows (perClass of every class, class-major). */
  x: tf.Tensor4D;
  nr: number;
  nf: number;
  /** One-hot labels of the probe rows (K·perClass × K, shared by every step), when the LDA term is on. */
  probe?: tf.Tensor2D;
}

/**
 * One step's images. The LDA probe's rows come from their own stream (`probeRng`), so
 * turning the term on changes no other draw: the nets, classes, retain and forget rows of
 * every step are those of the same run without it.
 */
function sampleBatch(ds: Dataset, byClass: Int32Array[], cls: number, nr: number, nf: number, rng: () => number, probe: tf.Tensor2D | undefined, probeRng: () => number): Batches {
  const perClass = probe ? probe.shape[0] / byClass.length : 0;
  const pick = (pool: Int32Array, n: number, from: () => number): number[] => Array.from({ length: n }, () => pool[Math.floor(from() * pool.length)] as number);
  const retainPool = byClass.filter((_, k) => k !== cls);
  const r = pick(Int32Array.from(retainPool.flatMap((p) => Array.from(p))), nr, rng);
  const f = pick(byClass[cls] as Int32Array, nf, rng);
  const probeRows = perClass > 0 ? byClass.flatMap((pool) => pick(pool, perClass, probeRng)) : [];
  const x = tf.tidy(() => tf.gather(ds.images, tf.tensor1d([...r, ...f, ...probeRows], 'int32')) as tf.Tensor4D);
  return { x, nr, nf, ...(probe ? { probe } : {}) };
}

/** Penultimate features and logits of a net on x (the head applied to the features, one forward). */
function featuresAndLogits(spec: TrainedNet['spec'], params: readonly tf.Tensor[], buffers: readonly tf.Tensor[], x: tf.Tensor): { h: tf.Tensor2D; logits: tf.Tensor2D; headAt: number } {
  const pen = penultimateNet({ spec, params: [...params], buffers: [...buffers] });
  const h = tf.reshape(forward(pen.spec, pen.params, x, { buffers, training: false }), [x.shape[0] as number, -1]) as tf.Tensor2D;
  const head = params.slice(pen.params.length);
  let logits: tf.Tensor2D = tf.matMul(h, head[0] as tf.Tensor2D, false, true);
  if (head[1]) logits = tf.add(logits, head[1]) as tf.Tensor2D;
  return { h, logits, headAt: pen.params.length };
}

/** Probabilities with class c removed and renormalised. */
function withoutClass(p: tf.Tensor2D, c: number): tf.Tensor2D {
  const masked = tf.mul(p, tf.sub(1, tf.oneHot([c], p.shape[1])));
  // The floor only matters for a row with all its mass on c (then its target is 0, not NaN).
  return tf.div(masked, tf.maximum(tf.sum(masked, -1, true), 1e-12));
}

function rows(t: tf.Tensor2D, start: number, n: number): tf.Tensor2D {
  return tf.slice(t, [start, 0], [n, t.shape[1]]);
}

function checkOptions(o: TrainEditorOptions, byClass: Int32Array[], w: EditorLossOptions): void {
  if (o.nets.length === 0) throw new InvalidHyperparameterError('trainEditor needs at least one trained net; pass nets');
  if (w.lda > 0) {
    // A class with one row has no within-class spread, so the covariance could be singular and the recall NaN.
    if (!Number.isInteger(w.ldaPerClass) || w.ldaPerClass < 2) throw new InvalidHyperparameterError(`ldaPerClass must be an integer >= 2 when lda > 0, got ${w.ldaPerClass}`);
    const empty = byClass.findIndex((p) => p.length === 0);
    if (empty >= 0) throw new InvalidHyperparameterError(`the LDA probe needs images of every class, and class ${empty} has none; set lda to 0 or use a dataset with every class`);
  }
  for (const c of o.classes ?? []) {
    if (!Number.isInteger(c) || c < 0 || c >= o.numClasses || (byClass[c]?.length ?? 0) === 0) {
      throw new InvalidHyperparameterError(`request class ${c} has no training images; pick classes of the dataset`);
    }
  }
}

/** Trains (or continues training) an editor; see the module doc for the loss. */
export function trainEditor(o: TrainEditorOptions): TrainEditorResult {
  const labels = labelsOf(o.dataset);
  const byClass = Array.from({ length: o.numClasses }, (_, k) => Int32Array.from([...labels.keys()].filter((i) => labels[i] === k)));
  const w = { ...DEFAULT_EDITOR_LOSS, ...o.loss };
  checkOptions(o, byClass, w);
  const steps = o.steps ?? 300;
  const classes = o.classes ?? byClass.map((_, k) => k).filter((k) => (byClass[k]?.length ?? 0) > 0);
  // Before the editor and the nets exist: a bad weightDrift then leaks nothing.
  const weightGold = weightTargets(o.gold ?? [], o.nets, w);
  const editor = o.editor ?? createEditor(o.config);
  const prepared: PreparedNet[] = o.nets.map((n) => prepareNet(editor, n));
  const family = prepared[0]!.family;
  const other = prepared.find((p) => p.family !== family);
  if (other) {
    weightGold.forEach((t) => tf.dispose(t));
    throw new NetDatasetMismatchError(`trainEditor got nets of two families (${family} and ${other.family}); train one editor per family`);
  }
  editor.info = { family, requestKinds: ['class'], steps: editor.info.steps };
  const goldOf = (net: number, c: number): TrainedNet | undefined => o.gold?.find((g) => g.net === net && g.forgetClass === c)?.model;
  const rng = createRng(o.seed ?? 0);
  const next = (): number => rng.uniform();
  const probeRng = createRng((o.seed ?? 0) + 0x1da);
  const nextProbe = (): number => probeRng.uniform();
  // The probe rows' labels are the same every step (ldaPerClass of each class, class-major): built once.
  const probeLabels = w.lda > 0 ? tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(byClass.flatMap((_, k) => new Array<number>(w.ldaPerClass).fill(k)), 'int32'), byClass.length), 'float32') as tf.Tensor2D) : undefined;
  const optimizer = tf.train.adam(o.lr ?? 1e-3);
  const history: LossParts[] = [];
  let edges = 0;
  const start = performance.now();
  try {
    for (let s = 0; s < steps; s++) {
      const i = Math.floor(next() * prepared.length);
      const p = prepared[i]!;
      const c = classes[Math.floor(next() * classes.length)] as number;
      const gold = goldOf(i, c);
      const batch = sampleBatch(o.dataset, byClass, c, o.retainBatch ?? 64, o.forgetBatch ?? 32, next, gold ? probeLabels : undefined, nextProbe);
      const parts = step(editor, optimizer, p, c, gold, weightGold.get(`${i}:${c}`), batch, w, o.clip ?? 1);
      batch.x.dispose();
      edges += p.graph.numEdges;
      history.push(parts);
      o.onStep?.(s + 1, steps, parts);
    }
  } finally {
    optimizer.dispose();
    probeLabels?.dispose();
    prepared.forEach((p) => p.dispose());
    weightGold.forEach((t) => tf.dispose(t));
  }
  editor.info = { ...editor.info, steps: editor.info.steps + steps };
  return { editor, steps, seconds: (performance.now() - start) / 1000, edgesPerStep: edges / Math.max(1, steps), history };
}

/** Class-specific weight targets per `net:class` when `weightDrift` < 1 (empty otherwise: gold's own weights). */
function step(editor: GMNEditor, optimizer: tf.Optimizer, p: PreparedNet, c: number, gold: TrainedNet | undefined, weightGold: tf.Tensor[] | undefined, b: Batches, w: EditorLossOptions, clip: number): LossParts {
  const { net } = p;
  const relearnOpts = { steps: w.relearnSteps, lr: w.relearnLr };
  // The retain and forget rows; the LDA probe's rows (if any) follow them.
  const main = b.nr + b.nf;
  const goldW = gold ? weightTarget(net.params, weightGold ?? gold.params) : undefined;
  const targets = tf.tidy(() => {
    // The original's outputs are read on the retain and forget rows only, so it skips the probe rows.
    const orig = featuresAndLogits(net.spec, net.params, net.buffers, b.probe ? tf.slice(b.x, 0, main) : b.x);
    const retainP = w.retainTarget === 'renormalised' ? withoutClass(tf.softmax(rows(orig.logits, 0, b.nr)), c) : tf.softmax(rows(orig.logits, 0, b.nr));
    let forgetP: tf.Tensor;
    let probeTarget: tf.Tensor = tf.scalar(w.probeTarget);
    let goldH: tf.Tensor2D | undefined;
    let goldRelearn: tf.Scalar | undefined;
    let goldLda: tf.Scalar | undefined;
    if (gold) {
      const g = featuresAndLogits(gold.spec, gold.params, gold.buffers, b.x);
      if (b.probe) goldLda = ldaProbeRecall(rows(g.h, main, b.probe.shape[0]), b.probe, c);
      forgetP = tf.softmax(rows(g.logits, b.nr, b.nf));
      if (w.deletion > 0) probeTarget = tf.add(ridgeProbeScore(rows(g.h, b.nr, b.nf), rows(g.h, 0, b.nr)), w.probeMargin);
      goldH = rows(g.h, 0, main);
      const head = gold.params.slice(g.headAt);
      goldRelearn = relearnProxy(rows(g.h, b.nr, b.nf), head[0] as tf.Tensor2D, head[1] as tf.Tensor1D | undefined, c, relearnOpts);
    } else {
      forgetP = withoutClass(tf.softmax(rows(orig.logits, b.nr, b.nf)), c);
    }
    return { retainP, forgetP, probeTarget, goldH, goldRelearn, goldLda };
  });
  const parts: LossParts = { total: 0, retain: 0, forget: 0, probe: 0, deletion: 0, relearnProxy: NaN, goldRelearnProxy: NaN, cka: NaN, weightToGold: NaN, featureToGold: NaN, lda: NaN, goldLda: NaN, delta: 0 };
  const read = (t: tf.Tensor): number => (t.dataSync()[0] as number);
  const { value, grads } = tf.variableGrads(() => {
    let ldaPenalty: tf.Tensor | undefined;
    const { deltas, raw } = editDeltas(editor, p, [c], 1, true);
    const params = editedParams(net, deltas);
    const full = featuresAndLogits(net.spec, params, net.buffers, b.x);
    const edited = { h: rows(full.h, 0, main), logits: full.logits, headAt: full.headAt };
    if (b.probe && targets.goldLda) {
      const lda = ldaProbeRecall(rows(full.h, main, b.probe.shape[0]), b.probe, c);
      ldaPenalty = tf.mul(tf.square(tf.relu(tf.sub(tf.sub(lda, targets.goldLda), w.ldaMargin))), w.lda);
      parts.lda = read(lda);
      parts.goldLda = read(targets.goldLda);
    }
    const retain = klToTargetLoss(rows(edited.logits, 0, b.nr), targets.retainP);
    const forget = klToTargetLoss(rows(edited.logits, b.nr, b.nf), targets.forgetP);
    let total = tf.add(tf.mul(retain, w.retain), tf.mul(forget, w.forget));
    if (ldaPenalty) total = tf.add(total, ldaPenalty);
    const probe = ridgeProbeScore(rows(edited.h, b.nr, b.nf), rows(edited.h, 0, b.nr));
    const deletion = tf.square(tf.relu(tf.sub(probe, targets.probeTarget)));
    if (w.deletion > 0) total = tf.add(total, tf.mul(deletion, w.deletion));
    if (targets.goldRelearn && targets.goldH) {
      const head = params.slice(edited.headAt);
      const relearn = relearnProxy(rows(edited.h, b.nr, b.nf), head[0] as tf.Tensor2D, head[1] as tf.Tensor1D | undefined, c, relearnOpts);
      if (w.relearn > 0) total = tf.add(total, tf.mul(tf.square(tf.sub(relearn, targets.goldRelearn)), w.relearn));
      const cka = linearCka(edited.h, targets.goldH);
      if (w.cka > 0) total = tf.add(total, tf.mul(tf.sub(1, cka), w.cka));
      parts.relearnProxy = read(relearn);
      parts.goldRelearnProxy = read(targets.goldRelearn);
      parts.cka = read(cka);
      const wGold = weightToGold(params, goldW!);
      const fGold = featureToGold(edited.h, targets.goldH);
      if (w.weight > 0) total = tf.add(total, tf.mul(wGold, w.weight));
      if (w.feature > 0) total = tf.add(total, tf.mul(fGold, w.feature));
      if (w.featureForget > 0) total = tf.add(total, tf.mul(featureToGold(rows(edited.h, b.nr, b.nf), rows(targets.goldH, b.nr, b.nf)), w.featureForget));
      parts.weightToGold = read(wGold);
      parts.featureToGold = read(fGold);
    }
    const delta = tf.mean(tf.square(raw));
    if (w.delta > 0) total = tf.add(total, tf.mul(delta, w.delta));
    parts.retain = read(retain);
    parts.forget = read(forget);
    parts.probe = read(probe);
    parts.deletion = read(deletion);
    parts.delta = read(delta);
    return total as tf.Scalar;
  }, editor.trainableVariables);
  parts.total = read(value);
  tf.dispose([value, targets.retainP, targets.forgetP, targets.probeTarget, ...(targets.goldH ? [targets.goldH] : []), ...(targets.goldRelearn ? [targets.goldRelearn] : []), ...(targets.goldLda ? [targets.goldLda] : [])]);
  if (!Number.isFinite(parts.total)) {
    tf.dispose(Object.values(grads));
    throw new NonFiniteLossError(`the editor's loss is ${parts.total}; lower lr or the loss weights (editor not updated)`);
  }
  const clipped = tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))).dataSync()[0] as number;
    const f = norm > clip ? clip / norm : 1;
    return Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, f)])) as tf.NamedTensorMap;
  });
  tf.dispose(Object.values(grads));
  optimizer.applyGradients(clipped);
  tf.dispose(Object.values(clipped));
  return parts;
}
