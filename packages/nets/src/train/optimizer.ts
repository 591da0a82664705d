/**
 * Functional Adam, RMSprop and SGD with PyTorch's update rules (weight decay
 * added to the gradient, bias-corrected Adam, RMSprop's square average with
 * ε outside the root, heavy-ball momentum whose buffer starts at the first
 * gradient). The state is plain tensors plus a step counter, so a
 * checkpoint stores it exactly and a resumed run continues bit for bit.
 */
import { fusedOptimizerUpdate, tf } from '@metanet/tensor';

/** The optimizers `train` supports. */
export type OptimizerKind = 'adam' | 'rmsprop' | 'sgd';

/** An optimizer's kind and settings: learning rate, momentum, betas, weight decay. */
export interface OptimizerConfig {
  kind: OptimizerKind;
  /** Default 0. */
  weightDecay?: number;
  /** SGD momentum. Default 0. */
  momentum?: number;
  /** Adam betas. Default [0.9, 0.999]. */
  betas?: [number, number];
  /** Adam and RMSprop epsilon. Default 1e-8. */
  eps?: number;
  /** RMSprop smoothing constant (PyTorch's `alpha`). Default 0.99. */
  alpha?: number;
}

/** An optimizer's state: its step count and one set of moment slots per parameter. */
export interface OptimizerState {
  kind: OptimizerKind;
  /** Updates applied so far. */
  step: number;
  /** Adam: [m, v] per param; RMSprop: [sq] per param; SGD with momentum: [buf] per param (empty before the first step). */
  slots: tf.Tensor[][];
}

/** Names of the slot tensors, in the order `slots` holds them. */
export function slotNames(kind: OptimizerKind, momentum: number): string[] {
  if (kind === 'adam') return ['m', 'v'];
  if (kind === 'rmsprop') return ['sq'];
  return momentum > 0 ? ['buf'] : [];
}

/** Fresh optimizer state (moment slots) for `params`. */
export function createOptimizerState(cfg: OptimizerConfig, params: readonly tf.Tensor[]): OptimizerState {
  const names = slotNames(cfg.kind, cfg.momentum ?? 0);
  return { kind: cfg.kind, step: 0, slots: params.map((p) => names.map(() => tf.zerosLike(p))) };
}

/**
 * One update. Returns new params and state; the old ones are left for the
 * caller to dispose (they may still be referenced, e.g. by a best-so-far copy).
 *
 * `mask` (0/1 per weight, per param; undefined entries mean "all free") freezes
 * weights for masked updates such as SalUn's. It multiplies the gradient after
 * weight decay and the final update, so a masked-out weight never moves, even
 * under decay or Adam's bias correction.
 */
export function optimizerStep(
  cfg: OptimizerConfig,
  state: OptimizerState,
  params: readonly tf.Tensor[],
  grads: readonly tf.Tensor[],
  lr: number,
  mask?: ReadonlyArray<tf.Tensor | undefined>,
): { params: tf.Tensor[]; state: OptimizerState } {
  const wd = cfg.weightDecay ?? 0;
  const t = state.step + 1;
  const [beta1, beta2] = cfg.betas ?? [0.9, 0.999];
  // One kernel call for every tensor where the backend has it (wasm); same bits as below. RMSprop has no fused kernel.
  const fused = cfg.kind === 'rmsprop' ? null : fusedOptimizerUpdate({
    kind: cfg.kind, params, grads, slots: state.slots, masks: mask, lr, weightDecay: wd,
    beta1, beta2, eps: cfg.eps ?? 1e-8, momentum: cfg.momentum ?? 0, step: t,
  });
  if (fused !== null) return { params: fused.params, state: { kind: state.kind, step: t, slots: fused.slots } };
  const out = tf.tidy(() => {
    const newParams: tf.Tensor[] = [];
    const newSlots: tf.Tensor[][] = [];
    params.forEach((p, k) => {
      let g = grads[k] as tf.Tensor;
      if (wd !== 0) g = tf.add(g, tf.mul(p, wd));
      const mk = mask?.[k];
      if (mk) g = tf.mul(g, mk);
      const slots = state.slots[k] as tf.Tensor[];
      if (cfg.kind === 'adam') {
        const [b1, b2] = cfg.betas ?? [0.9, 0.999];
        const eps = cfg.eps ?? 1e-8;
        const m = tf.add(tf.mul(slots[0] as tf.Tensor, b1), tf.mul(g, 1 - b1));
        const v = tf.add(tf.mul(slots[1] as tf.Tensor, b2), tf.mul(tf.square(g), 1 - b2));
        const bc1 = 1 - b1 ** t;
        const bc2 = 1 - b2 ** t;
        const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(bc2)), eps);
        const update = tf.mul(tf.div(m, denom), lr / bc1);
        newParams.push(tf.sub(p, mk ? tf.mul(update, mk) : update));
        newSlots.push([m, v]);
      } else if (cfg.kind === 'rmsprop') {
        const alpha = cfg.alpha ?? 0.99;
        const sq = tf.add(tf.mul(slots[0] as tf.Tensor, alpha), tf.mul(tf.square(g), 1 - alpha));
        const update = tf.mul(tf.div(g, tf.add(tf.sqrt(sq), cfg.eps ?? 1e-8)), lr);
        newParams.push(tf.sub(p, mk ? tf.mul(update, mk) : update));
        newSlots.push([sq]);
      } else if ((cfg.momentum ?? 0) > 0) {
        const buf = state.step === 0 ? g : tf.add(tf.mul(slots[0] as tf.Tensor, cfg.momentum as number), g);
        newParams.push(tf.sub(p, tf.mul(buf, lr)));
        newSlots.push([tf.clone(buf)]);
      } else {
        newParams.push(tf.sub(p, tf.mul(g, lr)));
        newSlots.push([]);
      }
    });
    return { newParams, newSlots };
  });
  return { params: out.newParams, state: { kind: state.kind, step: t, slots: out.newSlots } };
}

/** Frees the optimizer state's tensors. */
export function disposeOptimizerState(state: OptimizerState): void {
  for (const s of state.slots) tf.dispose(s);
}
