import { InvalidSplitError } from '../errors';
import { createRng, shuffleInPlace } from '@metanet/tensor';
import type { ForgetRetainSplit } from './types';
import { checkClass, checkOpenFraction, checkSeed, inferNumClasses, splitFromMask } from './validate';

/** Options of the sub-population split: the class and how much of it to forget. */
export type SubPopulationOptions =
  | {
      /** Forget a random `fraction` of this class's samples. */
      readonly class: number;
      readonly fraction: number;
      readonly seed: number;
      readonly numClasses?: number;
    }
  | {
      /** Forget the samples for which this is true. */
      readonly predicate: (index: number, label: number) => boolean;
    };

/**
 * Sub-population forgetting: part of one class (e.g. 50% of 'Shirt'), or any
 * predicate over samples. Forget indices ascending, retain the rest.
 */
export function subPopulationSplit(labels: Int32Array, opts: SubPopulationOptions): ForgetRetainSplit {
  const mask = new Uint8Array(labels.length);
  if ('predicate' in opts) {
    if (typeof opts.predicate !== 'function') throw new InvalidSplitError('predicate must be a function (index, label) => boolean');
    for (let i = 0; i < labels.length; i++) mask[i] = opts.predicate(i, labels[i] as number) ? 1 : 0;
    return splitFromMask(mask, 'the sub-population predicate');
  }
  checkSeed(opts.seed);
  checkClass(opts.class, inferNumClasses(labels, opts.numClasses));
  checkOpenFraction(opts.fraction, 'sub-population fraction');
  let m = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === opts.class) m++;
  const members = new Int32Array(m);
  m = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === opts.class) members[m++] = i;
  shuffleInPlace(members, createRng(opts.seed));
  const k = members.length === 0 ? 0 : Math.max(1, Math.round(opts.fraction * members.length));
  for (let j = 0; j < k; j++) mask[members[j] as number] = 1;
  return splitFromMask(mask, `${opts.fraction} of class ${opts.class} (${members.length} samples)`);
}
