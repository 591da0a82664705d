/**
 * When to stop gradient ascent. Ascent on D_f has no minimum: once the forget
 * samples are misclassified, every further step only moves the shared features
 * and wrecks the retained classes. With a fixed number of passes over D_f the
 * damage grows with |D_f|: GA and NegGrad+ defaults tuned on 3,000 Fashion-MNIST
 * images left homework-cnn at 26% test-retain accuracy on 30,000 (gold: 86%).
 * So ascent stops once `patience` consecutive forget batches score at most
 * `targetForgetAccuracy` (measured on the step's own forward pass, so it costs
 * no extra compute), whatever the size of D_f.
 *
 * For class-wise requests the default target (1%) is what gold reaches. For a
 * random subset or a sub-population, gold keeps roughly its test accuracy on
 * D_f: set the target near it, or `patience: 0` to run every planned step.
 */
import { tf } from '@metanet/tensor';
import { InvalidHyperparameterError } from './errors';

export type AscentStopHyperparameters = {
  /** Stop once this many consecutive forget batches score at most `targetForgetAccuracy`; 0 = never stop early. */
  patience: number;
  /** Forget-batch accuracy in [0, 1] that counts as forgotten. */
  targetForgetAccuracy: number;
};

export const ASCENT_STOP_DEFAULTS: AscentStopHyperparameters = { patience: 3, targetForgetAccuracy: 0.01 };

export interface AscentStop {
  /** Call inside the loss with the forget rows' logits and labels. */
  observe(logits: tf.Tensor2D, labels: tf.Tensor1D): void;
  /** The loop's `onStep`: true once the stop rule holds. */
  onStep(): boolean;
}

export function ascentStop(method: string, hp: AscentStopHyperparameters): AscentStop {
  if (!Number.isInteger(hp.patience) || hp.patience < 0) {
    throw new InvalidHyperparameterError(`${method}.patience must be a non-negative integer (0 disables the stop), got ${hp.patience}`);
  }
  if (!(hp.targetForgetAccuracy >= 0 && hp.targetForgetAccuracy <= 1)) {
    throw new InvalidHyperparameterError(`${method}.targetForgetAccuracy must be in [0, 1], got ${hp.targetForgetAccuracy}`);
  }
  let streak = 0;
  return {
    observe(logits, labels) {
      if (hp.patience === 0 || labels.shape[0] === 0) return;
      const acc = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'float32')).dataSync()[0]!);
      streak = acc <= hp.targetForgetAccuracy ? streak + 1 : 0;
    },
    onStep: () => hp.patience > 0 && streak >= hp.patience,
  };
}
