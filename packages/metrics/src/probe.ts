import { InvalidOptionError, LabelRangeError, NonFiniteInputError, ShapeMismatchError, SingleClassError } from './errors.js';
import { toHostLabels, toHostMatrix, type LabelsInput, type MatrixInput } from './matrix.js';
import { seededRng } from './rng.js';
import { rocAuc } from './roc-auc.js';
import { stratifiedShuffleSplits } from './stratified-split.js';

/** Options of probe recoverability: the linear probe's training and the seed. */
export interface ProbeOptions {
  /** The forgotten class id(s); at least one, each present in `labels`. */
  readonly forgetClasses: readonly number[];
  /** Number of classes K. Default max label + 1. */
  readonly numClasses?: number;
  /** Fraction of samples (per class) the probe trains on. Default 0.7. */
  readonly trainFraction?: number;
  /** Full-batch gradient steps. Default 200. */
  readonly epochs?: number;
  /** Step size in units of 1/L, L the gradient's Lipschitz bound (so any feature correlation is stable; heavy-ball momentum 0.9 is stable below 3.8). Default 1. */
  readonly learningRate?: number;
  /** L2 coefficient on the weights (not the biases). Default 1e-4. */
  readonly l2?: number;
  /** Seed of the train/held-out split. Default 0. */
  readonly seed?: number;
}

/** Result of probe recoverability: how well a linear probe on the features still finds the forgotten class. */
export interface ProbeResult {
  /** Held-out one-vs-rest ROC AUC of the probe's forget-class probability (summed over forget classes); 0.5 = no signal. */
  readonly forgetAuc: number;
  /** Held-out fraction of forget-class samples the probe labels correctly, in [0, 1]. */
  readonly forgetAccuracy: number;
  /** Held-out fraction of other samples labelled correctly, in [0, 1]. */
  readonly retainAccuracy: number;
  /**
   * Held-out recall of every class (K entries; NaN for a class with no held-out sample). The probe's training does not
   * depend on `forgetClasses`, so one call gives what a call per class would read off `forgetAccuracy`.
   */
  readonly classAccuracy: readonly number[];
  readonly trainSize: number;
  readonly testSize: number;
}

/**
 * Probe recoverability ("filtering is not unlearning"): how well a
 * linear probe on a model's frozen penultimate features still tells the
 * forgotten class(es) apart. A logit mask scores 0 forget accuracy at the
 * output yet leaves these features intact; Retrain sets the target value.
 *
 * One fixed recipe, so numbers compare across methods: a seeded stratified
 * split (trainFraction per class); features standardised with the train
 * split's mean and std; multinomial logistic regression from zero weights,
 * full-batch gradient descent with momentum 0.9 for `epochs` steps at
 * `learningRate`, L2 `l2` on weights. The loss is convex, so zero init plus
 * full batches make the result depend on the seed only through the split.
 * Cost is O(epochs · N · F · K).
 */
export function probeRecoverability(features: MatrixInput, labels: LabelsInput, options: ProbeOptions): ProbeResult {
  const x = toHostMatrix(features, 'probe features');
  const y = toHostLabels(labels, 'probe labels');
  const { rows: n, cols: f } = x;
  if (n !== y.length) throw new ShapeMismatchError(`probe: ${n} feature rows but ${y.length} labels; pass one label per row`);
  let maxLabel = -1;
  for (let i = 0; i < n; i++) maxLabel = Math.max(maxLabel, y[i]!);
  const k = options.numClasses ?? maxLabel + 1;
  for (let i = 0; i < n; i++) {
    if (y[i]! < 0 || y[i]! >= k) throw new LabelRangeError(`probe: label ${y[i]} at index ${i} is outside [0, ${k}); fix numClasses or the labels`);
  }
  const forget = new Set(options.forgetClasses);
  if (forget.size === 0) throw new InvalidOptionError('probe: forgetClasses is empty; name the forgotten class(es)');
  for (const c of forget) {
    if (!Array.from(y).includes(c)) throw new SingleClassError(`probe: forget class ${c} has no samples; pass features that include the forgotten class`);
  }
  for (let i = 0; i < x.values.length; i++) {
    if (!Number.isFinite(x.values[i]!)) throw new NonFiniteInputError(`probe: feature ${x.values[i]} at row ${Math.floor(i / f)}; the features must be finite`);
  }
  const trainFraction = options.trainFraction ?? 0.7;
  const epochs = options.epochs ?? 200;
  const lr = options.learningRate ?? 1;
  const l2 = options.l2 ?? 1e-4;
  if (!(trainFraction > 0 && trainFraction < 1)) throw new InvalidOptionError(`probe trainFraction must be in (0, 1), got ${trainFraction}`);
  if (!Number.isInteger(epochs) || epochs < 1) throw new InvalidOptionError(`probe epochs must be an integer >= 1, got ${epochs}`);
  if (!(lr > 0) || !(l2 >= 0)) throw new InvalidOptionError(`probe learningRate must be > 0 and l2 >= 0, got ${lr} and ${l2}`);

  const [split] = stratifiedShuffleSplits(y, 1, 1 - trainFraction, seededRng(options.seed ?? 0));
  const { train, test } = split!;

  // Standardise with train statistics: one learning rate then suits any feature scale.
  const mean = new Float64Array(f);
  const scale = new Float64Array(f);
  for (const i of train) for (let j = 0; j < f; j++) mean[j] = mean[j]! + x.values[i * f + j]!;
  for (let j = 0; j < f; j++) mean[j] = mean[j]! / train.length;
  for (const i of train) for (let j = 0; j < f; j++) scale[j] = scale[j]! + (x.values[i * f + j]! - mean[j]!) ** 2;
  for (let j = 0; j < f; j++) {
    const sd = Math.sqrt(scale[j]! / train.length);
    scale[j] = sd > 1e-12 ? 1 / sd : 0; // a constant feature carries nothing; zero it
  }
  const p = f + 1; // standardised features plus a constant 1 that carries the bias
  const standardised = (idx: Int32Array): Float64Array => {
    const out = new Float64Array(idx.length * p);
    idx.forEach((i, r) => {
      for (let j = 0; j < f; j++) out[r * p + j] = (x.values[i * f + j]! - mean[j]!) * scale[j]!;
      out[r * p + f] = 1;
    });
    return out;
  };
  const xTrain = standardised(train);
  const xTest = standardised(test);

  // Softmax cross-entropy has Hessian ⪯ ½ E[x̃x̃ᵀ] ⊗ I (x̃ = [x, 1]), so
  // L = ½ λmax + l2 bounds its curvature. Penultimate ReLU features are often
  // strongly correlated, making λmax ~ F; a fixed absolute step would diverge.
  const step = lr / (0.5 * largestEigenvalue(xTrain, train.length, p) + l2);
  // Class-major weights (k rows of p): every inner loop runs over p contiguous values.
  const w = new Float64Array(k * p);
  const velocity = new Float64Array(k * p);
  const grad = new Float64Array(k * p);
  const probs = new Float64Array(k);
  for (let epoch = 0; epoch < epochs; epoch++) {
    grad.fill(0);
    for (let r = 0; r < train.length; r++) {
      softmaxRow(xTrain, r, p, w, k, probs);
      const target = y[train[r]!]!;
      probs[target] = probs[target]! - 1;
      const row = r * p;
      for (let c = 0; c < k; c++) {
        const g = probs[c]!;
        const base = c * p;
        for (let j = 0; j < p; j++) grad[base + j] = grad[base + j]! + g * xTrain[row + j]!;
      }
    }
    for (let i = 0; i < k * p; i++) {
      // The bias (last entry of each class row) is not decayed.
      const g = grad[i]! / train.length + (i % p === f ? 0 : l2 * w[i]!);
      velocity[i] = 0.9 * velocity[i]! - step * g;
      w[i] = w[i]! + velocity[i]!;
    }
  }

  const scores = new Float64Array(test.length);
  const isForget = new Uint8Array(test.length);
  let forgetHits = 0;
  let forgetCount = 0;
  let retainHits = 0;
  const classHits = new Float64Array(k);
  const classCounts = new Float64Array(k);
  for (let r = 0; r < test.length; r++) {
    softmaxRow(xTest, r, p, w, k, probs);
    const label = y[test[r]!]!;
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[c]! > probs[best]!) best = c;
    classCounts[label] = classCounts[label]! + 1;
    if (best === label) classHits[label] = classHits[label]! + 1;
    let s = 0;
    for (const c of forget) s += probs[c]!;
    scores[r] = s;
    if (forget.has(label)) {
      isForget[r] = 1;
      forgetCount++;
      if (best === label) forgetHits++;
    } else if (best === label) {
      retainHits++;
    }
  }
  const retainCount = test.length - forgetCount;
  if (retainCount === 0) throw new SingleClassError('probe: every held-out sample is in a forget class; pass features of retained classes too');
  return {
    forgetAuc: rocAuc(scores, isForget),
    forgetAccuracy: forgetHits / forgetCount,
    retainAccuracy: retainHits / retainCount,
    classAccuracy: Array.from(classHits, (h, c) => (classCounts[c]! > 0 ? h / classCounts[c]! : NaN)),
    trainSize: train.length,
    testSize: test.length,
  };
}

/** λmax of E[x̃x̃ᵀ] for rows x̃ of a row-major (n, p) matrix, by power iteration (an upper estimate is fine: it only sets a step). */
function largestEigenvalue(x: Float64Array, n: number, p: number): number {
  let v = new Float64Array(p).fill(1 / Math.sqrt(p));
  let lambda = 1;
  for (let iter = 0; iter < 50; iter++) {
    const next = new Float64Array(p);
    for (let r = 0; r < n; r++) {
      let dot = 0;
      for (let j = 0; j < p; j++) dot += x[r * p + j]! * v[j]!;
      for (let j = 0; j < p; j++) next[j] = next[j]! + (dot * x[r * p + j]!) / n;
    }
    let norm = 0;
    for (const e of next) norm += e * e;
    norm = Math.sqrt(norm);
    if (norm === 0) return 1;
    const converged = Math.abs(norm - lambda) <= 1e-6 * norm;
    lambda = norm;
    v = next.map((e) => e / norm);
    if (converged) break;
  }
  // Power iteration approaches λmax from below; the margin keeps the step safe.
  return lambda * 1.1;
}

/** Softmax of the k logits w_c · x̃_r into `out`. */
function softmaxRow(x: Float64Array, r: number, p: number, w: Float64Array, k: number, out: Float64Array): void {
  const row = r * p;
  let max = -Infinity;
  for (let c = 0; c < k; c++) {
    const base = c * p;
    let z = 0;
    for (let j = 0; j < p; j++) z += x[row + j]! * w[base + j]!;
    out[c] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let c = 0; c < k; c++) {
    out[c] = Math.exp(out[c]! - max);
    sum += out[c]!;
  }
  for (let c = 0; c < k; c++) out[c] = out[c]! / sum;
}
