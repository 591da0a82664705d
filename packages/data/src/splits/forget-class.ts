import type { ForgetRetainSplit } from './types';
import { checkClass, inferNumClasses, splitFromMask } from './validate';
import { EmptyForgetSetError } from '../errors';

/** Options of the forget-class split: which classes to forget. */
export interface ForgetClassOptions {
  /** Size of the label set; default max label + 1. Pass classNames.length to catch typos. */
  readonly numClasses?: number;
}

/**
 * Class-wise forgetting: every sample of `classes` is forgotten, the rest
 * retained. Apply it to train, val and test labels alike to get
 * test-forget / test-retain.
 */
export function forgetClassSplit(labels: Int32Array, classes: readonly number[], opts: ForgetClassOptions = {}): ForgetRetainSplit {
  if (classes.length === 0) throw new EmptyForgetSetError('no classes to forget; pass at least one class');
  const k = inferNumClasses(labels, opts.numClasses);
  const forgotten = new Uint8Array(k);
  for (const c of classes) {
    checkClass(c, k);
    forgotten[c] = 1;
  }
  const mask = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) mask[i] = forgotten[labels[i] as number] ?? 0;
  return splitFromMask(mask, `forgetting class(es) ${classes.join(',')}`);
}
