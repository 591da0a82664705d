/**
 * The GMN predictor's last stage: the GMN's graph-level output (an `embed`-wide invariant vector,
 * from its DeepSets head) concatenated with the net's z-scored weight statistics, through a
 * one-hidden-layer MLP to one logit. Both inputs are invariant to the nets' hidden-neuron
 * permutations, so the predictor is too. Its weights are small (≈ 3k numbers) and are saved as
 * JSON in the GMN bundle's meta.
 */
import { createRng, tf, variableFrom } from '@metanet/tensor';

/** Glorot-uniform weights from the one seeded RNG. */
function glorot(shape: [number, number], seed: number): tf.Tensor2D {
  const rng = createRng(seed);
  const limit = Math.sqrt(6 / (shape[0] + shape[1]));
  return tf.tensor2d(Float32Array.from({ length: shape[0] * shape[1] }, () => (2 * rng.uniform() - 1) * limit), shape);
}

/** The readout's weights as plain arrays, for a bundle's meta. */
export interface SavedReadout {
  readonly inputs: number;
  readonly hidden: number;
  readonly w1: readonly number[];
  readonly b1: readonly number[];
  readonly w2: readonly number[];
  readonly b2: readonly number[];
}

/** One hidden layer (ReLU) from [embedding, statistics] to one logit. */
export class StatReadout {
  readonly w1: tf.Variable;
  readonly b1: tf.Variable;
  readonly w2: tf.Variable;
  readonly b2: tf.Variable;

  constructor(readonly inputs: number, readonly hidden: number, seed: number, saved?: SavedReadout) {
    this.w1 = variableFrom(saved ? tf.tensor2d([...saved.w1], [inputs, hidden]) : glorot([inputs, hidden], seed));
    this.b1 = variableFrom(saved ? tf.tensor1d([...saved.b1]) : tf.zeros([hidden]));
    this.w2 = variableFrom(saved ? tf.tensor2d([...saved.w2], [hidden, 1]) : glorot([hidden, 1], seed + 1));
    this.b2 = variableFrom(saved ? tf.tensor1d([...saved.b2]) : tf.zeros([1]));
  }

  /** Rebuilds a readout from its saved arrays. */
  static restore(saved: SavedReadout): StatReadout {
    return new StatReadout(saved.inputs, saved.hidden, 0, saved);
  }

  /** The variables to train. */
  get variables(): tf.Variable[] {
    return [this.w1, this.b1, this.w2, this.b2];
  }

  /** G × 1 logits from G × embed and G × stats (either may have 0 columns). */
  apply(embedding: tf.Tensor2D, stats: tf.Tensor2D | null): tf.Tensor2D {
    const x = stats && stats.shape[1] > 0 ? tf.concat([embedding, stats], 1) : embedding;
    const h = tf.relu(tf.add(tf.matMul(x, this.w1), this.b1));
    return tf.add(tf.matMul(h, this.w2), this.b2) as tf.Tensor2D;
  }

  /** Its weights as arrays. */
  save(): SavedReadout {
    const arr = (v: tf.Variable): number[] => Array.from(v.dataSync());
    return { inputs: this.inputs, hidden: this.hidden, w1: arr(this.w1), b1: arr(this.b1), w2: arr(this.w2), b2: arr(this.b2) };
  }

  /** Frees its variables. */
  dispose(): void {
    this.variables.forEach((v) => v.dispose());
  }
}
