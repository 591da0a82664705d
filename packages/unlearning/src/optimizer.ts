/**
 * SGD (heavy-ball momentum) and Adam with PyTorch's update rules: weight decay
 * is added to the gradient, Adam is bias-corrected, and the momentum buffer
 * starts at the first gradient. Same rules as @metanet/nets' training loop, so
 * hyperparameters transfer between training and unlearning.
 */
import { tf } from '@metanet/tensor';

export type OptimizerKind = 'sgd' | 'adam';

export interface OptimizerSettings {
  kind: OptimizerKind;
  lr: number;
  momentum: number;
  weightDecay: number;
}

/** Per-param slots: Adam [m, v]; SGD with momentum [buf]; plain SGD []. */
export interface OptimizerSlots {
  step: number;
  slots: tf.Tensor[][];
}

export function createSlots(kind: OptimizerKind, momentum: number, params: readonly tf.Tensor[]): OptimizerSlots {
  const n = kind === 'adam' ? 2 : momentum > 0 ? 1 : 0;
  return { step: 0, slots: params.map((p) => Array.from({ length: n }, () => tf.zerosLike(p))) };
}

export function disposeSlots(s: OptimizerSlots): void {
  for (const slot of s.slots) tf.dispose(slot);
}

/**
 * One update with gradients `grads` (already masked/clipped). `mask`, when set,
 * is applied after weight decay too, so a masked-out weight never moves.
 * Returns new params and slots; the caller disposes the old ones.
 */
export function applyUpdate(
  cfg: OptimizerSettings,
  state: OptimizerSlots,
  params: readonly tf.Tensor[],
  grads: readonly tf.Tensor[],
  lr: number,
  mask?: readonly tf.Tensor[],
): { params: tf.Tensor[]; state: OptimizerSlots } {
  const t = state.step + 1;
  const out = tf.tidy(() => {
    const newParams: tf.Tensor[] = [];
    const newSlots: tf.Tensor[][] = [];
    params.forEach((p, k) => {
      let g = grads[k] as tf.Tensor;
      if (cfg.weightDecay !== 0) g = tf.add(g, tf.mul(p, cfg.weightDecay));
      const m = mask?.[k];
      if (m) g = tf.mul(g, m);
      const slots = state.slots[k] as tf.Tensor[];
      if (cfg.kind === 'adam') {
        const b1 = 0.9;
        const b2 = 0.999;
        const mt = tf.add(tf.mul(slots[0] as tf.Tensor, b1), tf.mul(g, 1 - b1));
        const vt = tf.add(tf.mul(slots[1] as tf.Tensor, b2), tf.mul(tf.square(g), 1 - b2));
        const denom = tf.add(tf.div(tf.sqrt(vt), Math.sqrt(1 - b2 ** t)), 1e-8);
        let upd = tf.mul(tf.div(mt, denom), lr / (1 - b1 ** t));
        // Adam's m/v of a masked weight stay 0, so its update is 0/eps = 0 already;
        // multiplying again guards against a mask that changes between runs.
        if (m) upd = tf.mul(upd, m);
        newParams.push(tf.sub(p, upd));
        newSlots.push([mt, vt]);
      } else if (cfg.momentum > 0) {
        const buf = state.step === 0 ? g : tf.add(tf.mul(slots[0] as tf.Tensor, cfg.momentum), g);
        newParams.push(tf.sub(p, tf.mul(buf, lr)));
        newSlots.push([tf.clone(buf)]);
      } else {
        newParams.push(tf.sub(p, tf.mul(g, lr)));
        newSlots.push([]);
      }
    });
    return { newParams, newSlots };
  });
  return { params: out.newParams, state: { step: t, slots: out.newSlots } };
}
