/**
 * StatNN (Unterthiner et al. 2020), as the NFN code defines it (experiments/models.py `StatNet`,
 * predict_gen_configs/nfnet/stat.yaml and main.yaml): the 7 statistics of every weight and bias
 * tensor into an MLP with two hidden layers of 1000 (ReLU), a sigmoid output, BCE, Adam 1e-3,
 * batch 8, 50 epochs, the model chosen on validation τ, and no input normalisation.
 *
 * NFN's zoos have one architecture. A zoo of several gives nets with different numbers of tensors;
 * the vector is then padded with zeros (or cut) to the count of the training nets' largest one,
 * so StatNN applies to the diverse zoo too.
 */
import { STAT_NAMES, statFeatures } from './stat-features';
import { stackRows, vectorMethod } from './vector-method';

/** StatNN's recipe (NFN's stat.yaml), shared with the GMN hybrid's StatNN branch. */
export const STATNN_DEFAULTS = { hidden: [1000, 1000], epochs: 50, batchSize: 8, lr: 1e-3, standardize: false } as const;

/** StatNN: weight statistics → MLP 1000-1000 → sigmoid. */
export const statnn = vectorMethod({
  name: 'statnn',
  description: 'StatNN: mean, variance and 5 quantiles of every weight and bias tensor → MLP (1000, 1000)',
  defaults: STATNN_DEFAULTS,
  fitFeaturizer(train) {
    const tensors = Math.max(...train.map((e) => e.net.params.length));
    return this.restoreFeaturizer({ tensors });
  },
  restoreFeaturizer(state) {
    const cols = Number(state.tensors) * STAT_NAMES.length;
    return { state, features: (entries) => stackRows(entries.map((e) => statFeatures(e.net)), cols) };
  },
});
