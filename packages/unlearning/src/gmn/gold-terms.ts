/**
 * Same-basis gold targets for the editor. Gold by recipe (`editorZooGold`) starts from
 * the original's init and sees its shuffle seed, so its weights and features stay in
 * the original's basis: no permutation separates the two (measured with
 * bench/gold-basis.mjs on Fashion-MNIST small-cnn: cos(w − w0, w* − w0) is 0.90–0.98 on
 * the first conv and 0.5–0.9 deeper; same-unit feature correlation 0.58–0.87). Gold's
 * weights are then a direct edge-level target, and its features a unit-by-unit one:
 *
 * - `weightToGold`: Σ over tensors of ‖w + Δw − w*‖² / ‖w − w*‖², averaged, so every
 *   layer counts the same whatever its size and scale. 1 for the identity edit, 0 at gold.
 * - `classSpecificGold`: gold's weights with the class-independent part of its move taken
 *   out (w + (w*_c − mean_k w*_k)), for `weightTarget`: about half of gold's move is the
 *   same whichever class is forgotten (retraining's own drift), which no request-conditioned
 *   editor can predict.
 * - `featureToGold`: the mean square of (h' − h*) / σ*, with σ* gold's per-unit std on
 *   the batch (floored at a tenth of the mean unit's): an MSE of per-unit standardised
 *   features, so wide and narrow or large and small features weigh the same.
 */
import { tf } from '@metanet/tensor';
import { InvalidHyperparameterError } from '../errors';
import type { TrainedNet } from '../types';
import type { EditorLossOptions, GoldNet } from './train';

/** Per-tensor constants of the weight term: gold's tensors and 1 / ‖w − w*‖². */
export interface WeightTarget {
  /** Gold's parameter tensors, in the original's order (borrowed, not owned). */
  gold: readonly tf.Tensor[];
  /** 1 / ‖w − w*‖² per tensor; 0 where gold left the tensor exactly as it was (skipped). */
  invSq: readonly number[];
}

/** Precomputes the weight term's target for an original (`params`) and its gold. */
export function weightTarget(params: readonly tf.Tensor[], gold: readonly tf.Tensor[]): WeightTarget {
  const invSq = params.map((p, k) => {
    const d = tf.tidy(() => tf.sum(tf.square(tf.sub(p, gold[k] as tf.Tensor))).dataSync()[0] as number);
    // A tensor gold left exactly as it was is skipped (weight 0) rather than divided by 0.
    return d > 0 ? 1 / d : 0;
  });
  return { gold, invSq };
}

/**
 * The class-specific weight target of a net with golds for several classes:
 * w + (w*_c − m) + drift · (m − w), m the mean over `golds` of their weights and c = `golds[index]`.
 * `drift` 0 keeps only what differs between the forgotten classes; 1 gives gold's weights back.
 * Pass the result to `weightTarget` as its gold; the caller owns (and disposes) the tensors.
 */
export function classSpecificGold(params: readonly tf.Tensor[], golds: readonly (readonly tf.Tensor[])[], index: number, drift = 0): tf.Tensor[] {
  if (golds.length < 2) throw new InvalidHyperparameterError(`classSpecificGold needs golds for at least 2 classes of the net, got ${golds.length}; add golds or use gold's weights`);
  if (!Number.isInteger(index) || index < 0 || index >= golds.length) throw new InvalidHyperparameterError(`gold index ${index} is not in [0, ${golds.length}); pass the forgotten class's position in golds`);
  return params.map((p, k) =>
    tf.tidy(() => {
      const mean = tf.div(tf.addN(golds.map((g) => g[k] as tf.Tensor)), golds.length);
      const own = tf.sub((golds[index] as readonly tf.Tensor[])[k] as tf.Tensor, mean);
      return tf.add(tf.add(p, own), tf.mul(tf.sub(mean, p), drift));
    }),
  );
}

/** Mean over tensors of ‖edited − w*‖² / ‖w − w*‖². Differentiable in `edited`. */
export function weightToGold(edited: readonly tf.Tensor[], target: WeightTarget): tf.Scalar {
  return tf.tidy(() => {
    const terms = edited.map((e, k) => tf.mul(tf.sum(tf.square(tf.sub(e, target.gold[k] as tf.Tensor))), target.invSq[k] as number));
    const counted = target.invSq.filter((v) => v > 0).length;
    return tf.div(tf.addN(terms), Math.max(1, counted)) as tf.Scalar;
  });
}

/** Mean of ((edited − gold) / σ_gold)² over rows and units (n × d each). Differentiable in `edited`. */
export function featureToGold(edited: tf.Tensor2D, gold: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const { variance } = tf.moments(gold, 0, true);
    // A unit gold leaves (almost) dead on the batch would otherwise weigh 1/ε: its
    // variance is floored at a hundredth of the mean unit's (measured: one such unit
    // made the term 1e5 on a Fashion-MNIST small-cnn batch).
    const sd = tf.sqrt(tf.add(variance, tf.add(tf.mul(tf.mean(variance), 0.01), 1e-8)));
    return tf.mean(tf.square(tf.div(tf.sub(edited, gold), sd))) as tf.Scalar;
  });
}

/**
 * The drift-free weight targets of `trainEditor`'s golds, keyed `net:class` (empty unless `weight` > 0 and
 * `weightDrift` < 1): `classSpecificGold` over each net's golds. The caller disposes them.
 */
export function weightTargets(golds: readonly GoldNet[], nets: readonly TrainedNet[], w: EditorLossOptions): Map<string, tf.Tensor[]> {
  const out = new Map<string, tf.Tensor[]>();
  if (w.weight <= 0 || w.weightDrift === 1) return out;
  for (const g of golds) {
    const same = golds.filter((h) => h.net === g.net);
    if (same.length < 2) {
      out.forEach((t) => tf.dispose(t));
      throw new InvalidHyperparameterError(`weightDrift ${w.weightDrift} needs golds for at least 2 classes of net ${g.net}, got ${same.length}; add golds or set weightDrift to 1`);
    }
    const params = nets[g.net]?.params;
    if (!params) continue; // a gold of no net is never sampled (as in goldOf)
    out.set(`${g.net}:${g.forgetClass}`, classSpecificGold(params, same.map((h) => h.model.params), same.indexOf(g), w.weightDrift));
  }
  return out;
}
