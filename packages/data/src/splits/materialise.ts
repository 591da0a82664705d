import { disposeDataset, subsetDataset } from '../dataset';
import type { Dataset } from '../types';
import type { ForgetRetainSplit } from './types';

/**
 * Materialises a forget/retain split of `ds` as two new Datasets (each owns
 * its tensors; dispose both). Named '<name>/forget' and '<name>/retain'.
 */
export function splitDataset(ds: Dataset, split: ForgetRetainSplit): { forget: Dataset; retain: Dataset } {
  const forget = subsetDataset(ds, split.forget, `${ds.name}/forget`);
  try {
    return { forget, retain: subsetDataset(ds, split.retain, `${ds.name}/retain`) };
  } catch (err) {
    disposeDataset(forget);
    throw err;
  }
}
