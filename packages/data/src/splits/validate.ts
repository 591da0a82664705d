import { EmptyForgetSetError, InvalidFractionError, InvalidSplitError, UnknownClassError } from '../errors';
import type { ForgetRetainSplit } from './types';

/** A fraction strictly inside (0, 1). */
export function checkOpenFraction(p: number, what: string): void {
  if (!(p > 0 && p < 1)) throw new InvalidFractionError(`${what} must be a fraction in (0, 1), got ${p}`);
}

/** Seeds are integers (as createRng requires). */
export function checkSeed(seed: number): void {
  if (!Number.isInteger(seed)) throw new InvalidSplitError(`seed must be an integer, got ${seed}`);
}

/** Number of classes: explicit, else max label + 1. */
export function inferNumClasses(labels: Int32Array, numClasses?: number): number {
  if (numClasses !== undefined) {
    if (!Number.isInteger(numClasses) || numClasses < 1) throw new InvalidSplitError(`numClasses must be an integer ≥ 1, got ${numClasses}`);
    return numClasses;
  }
  let max = -1;
  for (let i = 0; i < labels.length; i++) max = Math.max(max, labels[i] as number);
  return max + 1;
}

export function checkClass(c: number, numClasses: number): void {
  if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
    throw new UnknownClassError(`class ${c} is not in the label set [0, ${numClasses}); pick classes between 0 and ${numClasses - 1}`);
  }
}

/** Builds a split from a membership mask, rejecting an empty forget or retain side. */
export function splitFromMask(mask: Uint8Array, what: string): ForgetRetainSplit {
  let k = 0;
  for (let i = 0; i < mask.length; i++) k += mask[i] as number;
  if (k === 0) throw new EmptyForgetSetError(`${what} selects no samples; the forget set would be empty`);
  if (k === mask.length) throw new InvalidSplitError(`${what} selects all ${k} samples; the retain set would be empty`);
  const forget = new Int32Array(k);
  const retain = new Int32Array(mask.length - k);
  let f = 0;
  let r = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i]) forget[f++] = i;
    else retain[r++] = i;
  }
  return { forget, retain };
}
