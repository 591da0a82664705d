/**
 * Every registered method, in table order. The CLI, the protocol script and
 * `compareMethods` read this list. To add a method: one import line and one
 * entry line (append-only).
 */
import { UnknownMethodError } from '../errors';
import type { UnlearningMethod } from '../types';
import { retrain } from './retrain';
import { ft } from './ft';
import { ga } from './ga';
import { neggradPlus } from './neggrad-plus';
import { rl } from './rl';
import { klUniform } from './kl-uniform';
import { l1Sparse } from './l1-sparse';
import { logitMask } from './logit-mask';
import { ssd } from './ssd';
import { fisher } from './fisher';
import { salun } from './salun';
import { scrub } from './scrub';
import { boundaryShrink } from './boundary-shrink';

/** A method of any hyperparameter type, as the registry holds it. */
export type AnyMethod = UnlearningMethod<object>;

export const METHODS: readonly AnyMethod[] = [
  retrain,
  ft,
  ga,
  neggradPlus,
  rl,
  klUniform,
  l1Sparse,
  logitMask,
  ssd,
  fisher,
  salun,
  scrub,
  boundaryShrink,
];

/** Names of the registered methods. */
export function methodNames(): string[] {
  return METHODS.map((m) => m.name);
}

/** The registered method called `name`; throws `UnknownMethodError` listing the known ones. */
export function getMethod(name: string): AnyMethod {
  const m = METHODS.find((x) => x.name === name);
  if (!m) throw new UnknownMethodError(`unknown method '${name}'; known: ${methodNames().join(', ')}`);
  return m;
}
