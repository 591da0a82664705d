/**
 * Two more deletion terms for the editor's objective, beside the ridge probe
 * (ridge-probe.ts). Both compare the edited net with gold, the net retrained
 * without the class, so their optimum is gold's behaviour, not a filter:
 *
 * - `relearnProxy`: a few unrolled gradient steps of the classifier head on forget
 *   rows, and the forget class's mean probability after them. It is the relearn-time
 *   metric (AIN) made differentiable and small: a filter that keeps the features
 *   relearns in a few head steps (the row of the class only needs to move back), and
 *   one that hides the class behind a huge negative bias relearns slower than gold;
 *   the trainer penalises the squared gap to gold's value on both sides. Head only,
 *   because the head's gradient is closed-form (softmax − onehot), so the unrolled
 *   steps are matrix products that tfjs differentiates, at O(steps · n · d · k).
 * - `linearCka`: linear CKA (Kornblith et al. 2019, eq. 5) between two nets' features
 *   on the same images. It is invariant to orthogonal transforms and isotropic scale of
 *   either side, so it compares the edited net's penultimate features with gold's
 *   without any alignment of their neurons (a basis-free feature-statistics match).
 */
import { tf } from '@metanet/tensor';

/** Options of `relearnProxy`. */
export interface RelearnProxyOptions {
  /** Unrolled SGD steps of the head. Default 5. */
  steps?: number;
  /**
   * Step size, in units of 1 / mean‖h‖² of the forget rows, so a step raises an
   * aligned logit by about `lr` on nets of any feature scale. Default 1.
   */
  lr?: number;
}

/**
 * Mean probability of `cls` on the `features` rows (n × d) after `steps` SGD steps of
 * the head (weight k × d, bias k) on cross-entropy towards `cls`. Differentiable in
 * all three inputs. The step size's normaliser is read as a constant.
 */
export function relearnProxy(features: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D | undefined, cls: number, opts: RelearnProxyOptions = {}): tf.Scalar {
  return tf.tidy(() => {
    const [n] = features.shape;
    const k = weight.shape[0];
    const steps = opts.steps ?? 5;
    const meanSq = tf.mean(tf.sum(tf.square(features), 1)).dataSync()[0] as number;
    const lr = (opts.lr ?? 1) / Math.max(meanSq, 1e-8);
    const target = tf.oneHot(tf.fill([n], cls, 'int32') as tf.Tensor1D, k);
    let w: tf.Tensor2D = weight;
    let b: tf.Tensor = bias ?? tf.zeros([k]);
    const prob = (): tf.Tensor2D => tf.softmax(tf.add(tf.matMul(features, w, false, true), b)) as tf.Tensor2D;
    for (let s = 0; s < steps; s++) {
      // ∂ mean CE / ∂ logits = (softmax − onehot) / n.
      const g = tf.div(tf.sub(prob(), target), n) as tf.Tensor2D;
      w = tf.sub(w, tf.mul(tf.matMul(g, features, true, false), lr)) as tf.Tensor2D;
      // The bias gets the same step in logit units as an aligned weight row.
      b = tf.sub(b, tf.mul(tf.sum(g, 0), opts.lr ?? 1));
    }
    return tf.mean(tf.slice(prob(), [0, cls], [n, 1])) as tf.Scalar;
  });
}

/** Linear CKA of two feature matrices on the same rows (n × d₁, n × d₂), in [0, 1]. Differentiable. */
export function linearCka(a: tf.Tensor2D, b: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const ac = tf.sub(a, tf.mean(a, 0, true)) as tf.Tensor2D;
    const bc = tf.sub(b, tf.mean(b, 0, true)) as tf.Tensor2D;
    const cross = tf.sum(tf.square(tf.matMul(bc, ac, true, false)));
    const selfA = tf.sqrt(tf.sum(tf.square(tf.matMul(ac, ac, true, false))));
    const selfB = tf.sqrt(tf.sum(tf.square(tf.matMul(bc, bc, true, false))));
    return tf.div(cross, tf.add(tf.mul(selfA, selfB), 1e-12)) as tf.Scalar;
  });
}
