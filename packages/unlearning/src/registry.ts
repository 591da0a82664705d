/**
 * Every registered method, in table order. The CLI, the protocol script and
 * `compareMethods` read this list. To add a method: its file in `methods/`
 * (`defineMethod`) and one line here, then `npm run entries` (subpath export
 * and barrel).
 */
import { UnknownMethodError } from './errors';
import type { UnlearningMethod } from './types';
import * as methods from './methods/index';

/** A method of any hyperparameter type, as the registry holds it. */
export type AnyMethod = UnlearningMethod<object>;

/** Every registered method, in table order. */
export const METHODS: readonly AnyMethod[] = [
  methods.retrain,
  methods.ft,
  methods.ga,
  methods.neggradPlus,
  methods.rl,
  methods.klUniform,
  methods.l1Sparse,
  methods.logitMask,
  methods.ssd,
  methods.fisher,
  methods.salun,
  methods.scrub,
  methods.boundaryShrink,
  methods.taskVector,
  methods.gmn,
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
