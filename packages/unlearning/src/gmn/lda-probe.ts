/**
 * The LDA probe: a differentiable stand-in for probe recoverability, the editor's
 * deletion term that sees what the metric's probe sees.
 *
 * The metric (metrics' `probeRecoverability`) fits a K-class linear probe on the
 * penultimate features and reads its recall of the forgotten class. Its mistakes on that
 * class are confusions with the one or two classes that look like it (a T-shirt read as a
 * shirt), so a forget-vs-rest score such as the ridge probe's AUC (ridge-probe.ts), where
 * every easy class counts, barely moves when they do: measured on nets trained on all of
 * Fashion-MNIST, it hardly separates gold from the original, while the probe differs by
 * about 11 points.
 *
 * Here the probe is linear discriminant analysis, the closed-form linear probe: class
 * means μ_k and the pooled within-class covariance Σ of the features on a batch, and the
 * class-`cls` rows' mean posterior softmax_k(xᵀΣ⁻¹μ_k − ½ μ_kᵀΣ⁻¹μ_k) of their own class.
 * With its ridge relative to the covariance's mean eigenvalue, it is invariant to
 * translations, isotropic scaling and rotations of the features (so to the net's choice of
 * basis and scale), and to any invertible linear map as the ridge goes to 0. On those nets
 * it tracks the metric: over 27 (net, class) pairs, gold's value is below the original's
 * on all 27 (the metric's probe: 26), by a similar margin (bench/lda-probe.mjs). Fitted and read on the same rows (resubstitution): its optimism
 * is the same for the edited net and for gold on the same batch, which is what the
 * trainer compares.
 *
 * Σ⁻¹ comes from Newton–Schulz iterations (matrix products only, so tfjs differentiates
 * it), with a ridge of `ridge` × the mean eigenvalue: the condition number is at most
 * d / ridge + 1, and 24 iterations reach float32 precision for ridge ≥ 0.01, d ≤ 64.
 */
import { tf } from '@metanet/tensor';
import { inverseSpd } from './ridge-probe';

/** Options of the LDA probe. */
export interface LdaProbeOptions {
  /** Ridge on Σ, relative to its mean eigenvalue. Default 0.01. */
  ridge?: number;
  /** Newton–Schulz iterations. Default 24. */
  iterations?: number;
}

/**
 * Mean LDA posterior of `cls` on the rows of `features` (n × d) labelled `cls`, with the
 * class means and pooled covariance fitted on all rows. `onehot` is n × K (float32); every
 * class in it needs at least one row. Differentiable in `features`.
 */
export function ldaProbeRecall(features: tf.Tensor2D, onehot: tf.Tensor2D, cls: number, opts: LdaProbeOptions = {}): tf.Scalar {
  return tf.tidy(() => {
    const [n, d] = features.shape;
    const k = onehot.shape[1];
    const counts = tf.reshape(tf.sum(onehot, 0), [k, 1]);
    const means = tf.div(tf.matMul(onehot, features, true, false), counts) as tf.Tensor2D; // K × d
    const centred = tf.sub(features, tf.matMul(onehot, means)) as tf.Tensor2D;
    const eye = tf.eye(d);
    const within = tf.div(tf.matMul(centred, centred, true, false), n) as tf.Tensor2D;
    const meanEig = tf.div(tf.sum(tf.mul(within, eye)), d);
    const sigma = tf.add(within, tf.mul(eye, tf.mul(meanEig, opts.ridge ?? 0.01))) as tf.Tensor2D;
    const precision = inverseSpd(sigma, opts.iterations ?? 24);
    const weights = tf.matMul(precision, means, false, true); // d × K
    const bias = tf.mul(tf.sum(tf.mul(means, tf.transpose(weights)), 1), -0.5);
    const posterior = tf.softmax(tf.add(tf.matMul(features, weights), bias)) as tf.Tensor2D;
    const own = tf.slice(onehot, [0, cls], [n, 1]);
    const p = tf.slice(posterior, [0, cls], [n, 1]);
    return tf.div(tf.sum(tf.mul(p, own)), tf.maximum(tf.sum(own), 1)) as tf.Scalar;
  });
}
