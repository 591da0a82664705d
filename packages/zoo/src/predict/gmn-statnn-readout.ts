/**
 * The hybrid readout: StatNN itself (its raw statistics, its MLP 1000-1000, its init and recipe)
 * with the GMN's graph embedding joining the first hidden layer through a matrix that starts at
 * zero. At zero it IS StatNN, and the GMN can only add to it: the way strong weight-space
 * predictors combine an invariant-statistics branch with a learnt one.
 *
 * Why not the z-scored statistics + MLP 64 readout (`StatReadout`): on the 221-run zoo that
 * readout alone ranked at τ 0.671 against StatNN's 0.768, so the GMN was added to a weaker base
 * than the baseline it had to beat.
 */
import { join } from 'node:path';
import { readNet, saveNet } from '@metanet/nets';
import { architecture, paramInfos } from '@metanet/spec';
import { tf, variableFrom } from '@metanet/tensor';
import { disposeMlp, fitMlpRegressor, type MlpRegressor } from '../baselines/mlp-regressor';
import { statFeatures } from '../baselines/stat-features';
import { STATNN_DEFAULTS } from '../baselines/statnn';
import { stackRows } from '../baselines/vector-method';
import { targetOf, type FitProgress, type FitReport, type ZooEntry } from './types';

/**
 * Where a saved hybrid readout is, for the GMN bundle's meta: a nets bundle in the sub-directory
 * `bundle` (StatNN's MLP as its spec and params, the embedding's input weights in its meta). Its
 * million weights would not fit a manifest's JSON.
 */
export interface SavedStatnnReadout {
  readonly kind: 'statnn';
  readonly bundle: string;
}

const READOUT_DIR = 'readout';

/** StatNN's MLP (dense → ReLU → dense → ReLU → dense) with the GMN embedding added to its first layer. */
export class StatnnReadout {
  /** StatNN's MLP parameters in nets' dense layout: [out, in] weight, then bias, per layer. */
  readonly params: tf.Variable[];
  /** embed × hidden: the GMN embedding into the first hidden layer (zero at the start). */
  readonly embedIn: tf.Variable;

  /** Takes over (and disposes) a trained StatNN's parameters (`fitMlpRegressor` output without standardisation) and `embedIn`. */
  constructor(readonly statCols: number, readonly embed: number, params: readonly tf.Tensor[], embedIn?: tf.Tensor) {
    const hidden = params[0]!.shape[0]!;
    this.params = params.map((p) => variableFrom(p));
    this.embedIn = variableFrom(embedIn ?? tf.zeros([embed, hidden]));
  }

  /** The readout over a trained StatNN regressor (its variables are copied; dispose it yourself). */
  static fromStatnn(model: MlpRegressor, embed: number): StatnnReadout {
    return new StatnnReadout(model.spec.input[0] ?? 0, embed, model.params.map((p) => p.clone()));
  }

  /** Rebuilds a readout saved by `save` under the GMN bundle `dir`. */
  static restore(dir: string, saved: SavedStatnnReadout): StatnnReadout {
    const net = readNet(join(dir, saved.bundle));
    const { embed, embedIn } = net.meta as { embed: number; embedIn: number[] };
    const infos = paramInfos(net.spec);
    const params = net.params.map((p, i) => tf.tensor(p, infos[i]!.shape));
    const hidden = net.params[1]!.length;
    return new StatnnReadout(net.spec.input[0]!, embed, params, tf.tensor2d(embedIn, [embed, hidden]));
  }

  /** The variables to train. */
  get variables(): tf.Variable[] {
    return [...this.params, this.embedIn];
  }

  /** G × 1 logits from G × embed (null: StatNN alone) and G × statCols raw statistics. */
  apply(embedding: tf.Tensor2D | null, stats: tf.Tensor2D): tf.Tensor2D {
    let x: tf.Tensor2D = stats;
    for (let l = 0; l < this.params.length; l += 2) {
      const w = this.params[l] as tf.Tensor2D;
      let z = tf.add(tf.matMul(x, w, false, true), this.params[l + 1]!) as tf.Tensor2D;
      if (l === 0 && embedding) z = tf.add(z, tf.matMul(embedding, this.embedIn as tf.Tensor2D)) as tf.Tensor2D;
      x = l + 2 < this.params.length ? tf.relu(z) : z;
    }
    return x;
  }

  /** Writes its weights under the GMN bundle `dir`; returns what the GMN's meta keeps. */
  save(dir: string): SavedStatnnReadout {
    const spec = architecture(`mlp:${[this.statCols, ...this.params.filter((_, i) => i % 2 === 1).map((b) => b.shape[0]!)].join('-')}`);
    saveNet(join(dir, READOUT_DIR), { spec, params: this.params, meta: { embed: this.embed, embedIn: Array.from(this.embedIn.dataSync()) } });
    return { kind: 'statnn', bundle: READOUT_DIR };
  }

  /** Frees its variables. */
  dispose(): void {
    this.variables.forEach((v) => v.dispose());
  }
}

/** Options of the hybrid's first phase. */
export interface WarmStatnnOptions {
  /** Statistics columns (7 per tensor of the training nets' largest). */
  readonly cols: number;
  /** Width of the GMN embedding that will join. */
  readonly embed: number;
  /** StatNN's epochs (its recipe: 50). */
  readonly epochs: number;
  /** Seeds StatNN's init and batch order, as the `statnn` method's fit with this seed. */
  readonly seed: number;
  /** Called after each StatNN epoch. */
  readonly onEpoch?: (p: FitProgress) => void;
}

/**
 * The hybrid's first phase: StatNN fitted with its own recipe (`statnn`'s defaults, this seed),
 * kept at its best val-τ epoch, and wrapped as the readout with the GMN's weights at zero. With the
 * same seed it is the `statnn` method's fit, so the second phase starts from that exact baseline.
 */
export async function warmStatnn(train: readonly ZooEntry[], val: readonly ZooEntry[], o: WarmStatnnOptions): Promise<{ readout: StatnnReadout; report: FitReport }> {
  const features = (entries: readonly ZooEntry[]) => stackRows(entries.map((e) => statFeatures(e.net)), o.cols);
  const d = STATNN_DEFAULTS;
  const { model, report } = await fitMlpRegressor(features(train), Float32Array.from(train, targetOf), features(val), Float32Array.from(val, targetOf), {
    hidden: d.hidden,
    epochs: o.epochs,
    batchSize: d.batchSize,
    lr: d.lr,
    seed: o.seed,
    standardize: d.standardize,
    ...(o.onEpoch ? { onEpoch: o.onEpoch } : {}),
  });
  try {
    return { readout: StatnnReadout.fromStatnn(model, o.embed), report };
  } finally {
    disposeMlp(model);
  }
}
