/**
 * The hyperparameters-only baseline (Unterthiner et al. 2020 report τ ≈ 0.89 on their CNN zoo):
 * an MLP on the run's sampled hyperparameters alone, no weights. Strings and booleans are one-hot
 * over the values seen in training (an unseen value is all zeros). A positive numeric
 * hyperparameter spanning at least two decades over the training nets (learning rate, ℓ2, init
 * std: sampled log-uniform) enters as its log10; other numbers enter as they are. Features are
 * z-scored with the training nets' statistics.
 */
import { InvalidPredictionInputError } from '../predict/errors';
import type { ZooEntry } from '../predict/types';
import { stackRows, vectorMethod } from './vector-method';

/** How one hyperparameter becomes columns. */
export type HyperparamColumn =
  | { readonly key: string; readonly kind: 'onehot'; readonly values: readonly string[] }
  | { readonly key: string; readonly kind: 'log' | 'linear' };

/** The encoding learnt from training records: one entry per hyperparameter key, sorted by key. */
export function fitHyperparamColumns(entries: readonly ZooEntry[]): HyperparamColumn[] {
  const keys = [...new Set(entries.flatMap((e) => Object.keys(e.record.hparams)))].sort();
  if (keys.length === 0) throw new InvalidPredictionInputError('the zoo records have no hyperparameters; the hparams method needs them');
  return keys.map((key): HyperparamColumn => {
    const values = entries.map((e) => e.record.hparams[key]).filter((v) => v !== undefined);
    if (values.every((v) => typeof v === 'number')) {
      const nums = values as number[];
      const lo = Math.min(...nums);
      const hi = Math.max(...nums);
      return { key, kind: lo > 0 && hi / lo >= 100 ? 'log' : 'linear' };
    }
    return { key, kind: 'onehot', values: [...new Set(values.map(String))].sort() };
  });
}

function width(c: HyperparamColumn): number {
  return c.kind === 'onehot' ? c.values.length : 1;
}

/** The feature vector of one record under `columns`. */
export function hyperparamFeatures(entry: ZooEntry, columns: readonly HyperparamColumn[]): Float32Array {
  const out = new Float32Array(columns.reduce((n, c) => n + width(c), 0));
  let at = 0;
  for (const c of columns) {
    const v = entry.record.hparams[c.key];
    if (c.kind === 'onehot') {
      const k = v === undefined ? -1 : c.values.indexOf(String(v));
      if (k >= 0) out[at + k] = 1;
    } else if (typeof v === 'number') {
      out[at] = c.kind === 'log' ? Math.log10(Math.max(v, Number.MIN_VALUE)) : v;
    }
    at += width(c);
  }
  return out;
}

/** Hyperparameters only → MLP (100, 100), z-scored inputs. */
export const hparams = vectorMethod({
  name: 'hparams',
  description: 'hyperparameters only (one-hot categories, log10 of log-uniform numbers) → MLP (100, 100)',
  defaults: { hidden: [100, 100], epochs: 50, batchSize: 32, lr: 1e-3, standardize: true },
  fitFeaturizer(train) {
    return this.restoreFeaturizer({ columns: fitHyperparamColumns(train) });
  },
  restoreFeaturizer(state) {
    const columns = state.columns as HyperparamColumn[];
    const cols = columns.reduce((n, c) => n + width(c), 0);
    return { state, features: (entries) => stackRows(entries.map((e) => hyperparamFeatures(e, columns)), cols) };
  },
});
