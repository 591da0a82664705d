/**
 * A prediction method made of a featurizer (net → fixed-length vector) and the shared MLP
 * regressor. StatNN, the hyperparameters-only MLP and the flat-weights MLP are each one featurizer
 * and one set of defaults. Saved as a nets bundle (the MLP) whose meta holds the method name, the
 * featurizer's fitted state and the feature scaling.
 */
import { saveNet, type NetArrays } from '@metanet/nets';
import { InvalidPredictionInputError } from '../predict/errors';
import { targetOf, type FitOptions, type PredictionMethod, type Predictor, type ZooEntry } from '../predict/types';
import { disposeMlp, fitMlpRegressor, mlpFromArrays, predictMlp, type FeatureMatrix, type MlpRegressor } from './mlp-regressor';

/** Turns nets into feature rows; `state` is what it learnt from the training nets (JSON). */
export interface Featurizer {
  readonly state: Record<string, unknown>;
  features(entries: readonly ZooEntry[]): FeatureMatrix;
}

/** Training defaults of a vector method. */
export interface VectorDefaults {
  readonly hidden: readonly number[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly standardize: boolean;
}

/** A vector method: its featurizer (fitted on the training nets, or restored from a save) and defaults. */
export interface VectorMethodSpec {
  readonly name: string;
  readonly description: string;
  readonly defaults: VectorDefaults;
  fitFeaturizer(train: readonly ZooEntry[]): Featurizer;
  restoreFeaturizer(state: Record<string, unknown>): Featurizer;
}

/** A prediction method that can also read its own saves. */
export interface RestorableMethod extends PredictionMethod {
  /** Rebuilds a predictor from a saved bundle this method wrote. */
  restore(saved: NetArrays): Predictor;
}

/** Stacks per-net vectors into a matrix; every vector must have `cols` values. */
export function stackRows(rows: readonly Float32Array[], cols: number): FeatureMatrix {
  const data = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => data.set(r.subarray(0, cols), i * cols));
  return { rows: rows.length, cols, data };
}

function targets(entries: readonly ZooEntry[]): Float32Array {
  return Float32Array.from(entries, targetOf);
}

function vectorPredictor(name: string, featurizer: Featurizer, model: MlpRegressor): Predictor {
  return {
    method: name,
    predict: (entries) => predictMlp(model, featurizer.features(entries)),
    save(dir) {
      const predictor = { method: name, featurizer: featurizer.state, shift: [...model.shift], scale: [...model.scale] };
      saveNet(dir, { spec: model.spec, params: model.params, meta: { predictor } });
    },
    dispose: () => disposeMlp(model),
  };
}

/** Builds the method from its featurizer and defaults. */
export function vectorMethod(m: VectorMethodSpec): RestorableMethod {
  return {
    name: m.name,
    description: m.description,
    async fit(train, val, options: FitOptions = {}) {
      const featurizer = m.fitFeaturizer(train);
      const { model, report } = await fitMlpRegressor(featurizer.features(train), targets(train), featurizer.features(val), targets(val), {
        hidden: m.defaults.hidden,
        epochs: options.epochs ?? m.defaults.epochs,
        batchSize: options.batchSize ?? m.defaults.batchSize,
        lr: options.lr ?? m.defaults.lr,
        seed: options.seed ?? 0,
        standardize: m.defaults.standardize,
        ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
      });
      return { predictor: vectorPredictor(m.name, featurizer, model), report };
    },
    restore(saved) {
      const p = saved.meta.predictor as { method?: unknown; featurizer?: unknown; shift?: unknown; scale?: unknown } | undefined;
      if (p?.method !== m.name || typeof p.featurizer !== 'object' || !Array.isArray(p.shift) || !Array.isArray(p.scale)) {
        throw new InvalidPredictionInputError(`this bundle is not a saved ${m.name} predictor; train one with metanet predict-acc train --method ${m.name}`);
      }
      const model = mlpFromArrays(saved.spec, saved.params, Float32Array.from(p.shift as number[]), Float32Array.from(p.scale as number[]));
      return vectorPredictor(m.name, m.restoreFeaturizer(p.featurizer as Record<string, unknown>), model);
    },
  };
}
