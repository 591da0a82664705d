import { EmptyInputError, InvalidOptionError, SingleClassError } from './errors.js';
import { loadLibsvm } from './libsvm.js';
import type { LabelledLogits } from './accuracy.js';
import type { HostMatrix } from './matrix.js';
import { miaFeatures, type MiaFeature } from './mia-features.js';
import { permutation, type Rng } from '@metanet/tensor/rng';
import { seededRng } from './rng.js';

/** The three splits the SalUn SVC attack reads. */
export interface SvcMiaSplits {
  /** Members for training the attack (D_r, label 1). */
  readonly retain: LabelledLogits;
  /** Non-members for training the attack (the test set, label 0). */
  readonly test: LabelledLogits;
  /** The set attacked (D_f). */
  readonly forget: LabelledLogits;
}

/** Options of SalUn's SVC membership-inference attack on confidence features. */
export interface SvcMiaOptions {
  /** Attack feature. Default 'confidence' (SalUn's reported MIA-efficacy). */
  readonly feature?: MiaFeature;
  /** SVC cost. Default 3 (SalUn). */
  readonly C?: number;
  /** RBF gamma. Default 1 / number of features ('auto', as SalUn). */
  readonly gamma?: number;
  /** Seed of the class-balancing subsample. Default 0. */
  readonly seed?: number;
  /**
   * Cap on the shadow samples per group, to bound the O(n²) SVC fit.
   * Default Infinity (SalUn: as many members as test samples).
   */
  readonly maxPerGroup?: number;
}

/** Result of the SVC membership-inference attack. */
export interface SvcMiaResult {
  /** Fraction of D_f the attack predicts as non-member, in [0, 1]; higher = more forgotten. */
  readonly efficacy: number;
  /** Shadow samples used from each of retain and test. */
  readonly samplesPerGroup: number;
}

/**
 * MIA-efficacy as in SalUn (Fan et al. 2024, `evaluation/SVC_MIA.py`): an RBF
 * SVC (libsvm C-SVC, C = 3, gamma = 1/n_features) learns retain (member, 1)
 * vs test (non-member, 0) from a per-sample feature, then classifies D_f;
 * efficacy = 1 − mean prediction. SalUn balances the shadow sets by taking
 * the first |test| retain samples; here the larger shadow group is subsampled
 * to the smaller's size with `seed`, which does the same without depending on
 * the order of D_r. Deterministic given the seed.
 */
export async function svcMiaEfficacy(splits: SvcMiaSplits, options: SvcMiaOptions = {}): Promise<SvcMiaResult> {
  const feature = options.feature ?? 'confidence';
  const C = options.C ?? 3;
  if (!(C > 0) || !Number.isFinite(C)) throw new InvalidOptionError(`SVC C must be a finite number > 0, got ${C}; SalUn uses 3`);
  const cap = options.maxPerGroup ?? Infinity;
  if (!(cap >= 1)) throw new InvalidOptionError(`maxPerGroup must be >= 1, got ${cap}; omit it to use every sample`);
  const members = miaFeatures(splits.retain.logits, splits.retain.labels, feature);
  const nonMembers = miaFeatures(splits.test.logits, splits.test.labels, feature);
  const target = miaFeatures(splits.forget.logits, splits.forget.labels, feature);
  const gamma = options.gamma ?? 1 / members.cols;
  if (!(gamma > 0) || !Number.isFinite(gamma)) throw new InvalidOptionError(`SVC gamma must be a finite number > 0, got ${gamma}; omit it for 1/n_features`);

  const rng = seededRng(options.seed ?? 0);
  const n = Math.min(members.rows, nonMembers.rows, Math.floor(cap));
  const samples = [...rowsOf(members, n, rng), ...rowsOf(nonMembers, n, rng)];
  const labels = samples.map((_, i) => (i < n ? 1 : 0));
  if (new Set(samples.map((s) => s.join(','))).size === 1) {
    // Every shadow sample is identical, so the attack has nothing to learn: libsvm
    // would silently return one class. Refuse rather than report a number.
    throw new SingleClassError(`SVC MIA: all ${2 * n} shadow samples have the same ${feature}; the attack is undefined, report it as not applicable`);
  }

  const SVM = await loadLibsvm();
  const svm = new SVM({ type: SVM.SVM_TYPES.C_SVC, kernel: SVM.KERNEL_TYPES.RBF, cost: C, gamma, quiet: true });
  try {
    svm.train(samples, labels);
    let members_ = 0;
    for (const row of rowsOf(target, target.rows, null)) members_ += svm.predictOne(row) === 1 ? 1 : 0;
    return { efficacy: 1 - members_ / target.rows, samplesPerGroup: n };
  } finally {
    // libsvm's model lives in the emscripten heap, which the GC never frees.
    svm.free();
  }
}

function rowsOf(m: HostMatrix, n: number, rng: Rng | null): number[][] {
  if (m.rows === 0) throw new EmptyInputError('SVC MIA got an empty split; retain, test and forget all need samples');
  const order = rng && m.rows > n ? permutation(m.rows, rng) : null;
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const r = order ? order[i]! : i;
    out.push(Array.from(m.values.subarray(r * m.cols, (r + 1) * m.cols)));
  }
  return out;
}
