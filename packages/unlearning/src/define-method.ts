/**
 * `defineMethod` turns a plain `unlearn(input, hp)` function into an
 * `UnlearningMethod`: it merges and type-checks hyperparameters against the
 * defaults, validates the request against the net, and times the run (the
 * seconds RTE is computed from). Every method file uses it, so validation and
 * timing are the same for all of them.
 */
import { outputShape, sizeOf } from '@metanet/spec';
import { datasetSize, type Dataset } from '@metanet/data';
import { EmptyForgetSetError, InvalidHyperparameterError, InvalidRequestError, MultiHeadNetError, NetDatasetMismatchError } from './errors';
import type { TrainedNet, UnlearnInput, UnlearnResult, UnlearningMethod } from './types';
import type { RequestKind } from './requests/types';

/** Hyperparameter records are flat: numbers, booleans and strings. */
export type Hyperparameters = Record<string, number | boolean | string>;

/** What `defineMethod` takes: name, description, default hyperparameters, their validation and the unlearning itself. */
export interface MethodDefinition<H extends Hyperparameters> {
  name: string;
  description: string;
  defaults: H;
  /** Allowed values of string hyperparameters, e.g. { optimizer: ['sgd', 'adam'] }. */
  choices?: { [K in keyof H]?: readonly string[] };
  /** Whether the method trains on D_f (and so needs a non-empty forget set). Default true. */
  needsForget?: boolean;
  /**
   * Whether the method trains D_f toward new labels (random, uniform, a
   * neighbour class). Such methods refuse feature requests, whose D_f keeps
   * its true labels and whose target is the restored images (Warnecke et al.).
   */
  relabelsForget?: boolean;
  /** The unlearning itself, with validated hyperparameters. */
  unlearn(input: UnlearnInput, hp: H): Promise<{ model: TrainedNet; steps: number }> | { model: TrainedNet; steps: number };
}

/** Merges `hp` over `defaults`, rejecting unknown keys, wrong types and non-finite numbers. */
export function resolveHyperparameters<H extends Hyperparameters>(method: string, defaults: H, hp: Partial<H> = {}, choices: MethodDefinition<H>['choices'] = {}): H {
  const out: Hyperparameters = { ...defaults };
  for (const [key, value] of Object.entries(hp)) {
    if (value === undefined) continue;
    if (!(key in defaults)) throw new InvalidHyperparameterError(`${method} has no hyperparameter '${key}'; known: ${Object.keys(defaults).join(', ')}`);
    const want = typeof defaults[key];
    if (typeof value !== want) throw new InvalidHyperparameterError(`${method}.${key} must be a ${want}, got ${JSON.stringify(value)}`);
    if (typeof value === 'number' && !Number.isFinite(value)) throw new InvalidHyperparameterError(`${method}.${key} must be finite, got ${value}`);
    const allowed = (choices as Record<string, readonly string[] | undefined>)[key];
    if (allowed && !allowed.includes(value as string)) throw new InvalidHyperparameterError(`${method}.${key} must be one of ${allowed.join(', ')}, got '${String(value)}'`);
    out[key] = value;
  }
  return out as H;
}

/** Throws `NetDatasetMismatchError` when the dataset's images or classes do not fit the net. */
export function checkNetFitsDataset(model: TrainedNet, ds: Dataset, numClasses: number): void {
  const perImage = sizeOf(ds.images.shape.slice(1));
  const perInput = sizeOf(model.spec.input);
  if (perImage !== perInput) {
    throw new NetDatasetMismatchError(`${ds.name} has images of shape [${ds.images.shape.slice(1).join(', ')}] but the net expects [${model.spec.input.join(', ')}]; use a net built for this dataset`);
  }
  if (model.spec.heads) {
    throw new MultiHeadNetError(
      `the net has heads ${model.spec.heads.map((h) => h.name).join(', ')}, and these methods assume one; forget a head with a task request (metanet unlearn --request task:HEAD, or unlearnTask) or use a single-head net`,
    );
  }
  const out = outputShape(model.spec);
  const k = out[out.length - 1];
  if (out.length !== 1 || k !== numClasses) {
    throw new NetDatasetMismatchError(`the net outputs [${out.join(', ')}] but the request has ${numClasses} classes; use a classifier with ${numClasses} outputs`);
  }
}

/** Checks the parts of an `UnlearnInput` every method relies on. */
export function validateInput(method: string, input: UnlearnInput, needsForget = true): void {
  if (!Number.isInteger(input.numClasses) || input.numClasses < 2) {
    throw new InvalidHyperparameterError(`${method}: numClasses must be an integer >= 2, got ${input.numClasses}`);
  }
  if (!Number.isInteger(input.seed)) throw new InvalidHyperparameterError(`${method}: seed must be an integer, got ${input.seed}`);
  if (needsForget && datasetSize(input.forget) === 0) {
    throw new EmptyForgetSetError(`${method}: the forget set ${input.forget.name} is empty; the request selects no training samples`);
  }
  checkNetFitsDataset(input.model, input.retain, input.numClasses);
  if (datasetSize(input.forget) > 0) checkNetFitsDataset(input.model, input.forget, input.numClasses);
  for (const c of input.forgetClasses ?? []) {
    if (!Number.isInteger(c) || c < 0 || c >= input.numClasses) {
      throw new NetDatasetMismatchError(`${method}: forget class ${c} is outside [0, ${input.numClasses}); pick a class of the dataset`);
    }
  }
}

/**
 * Throws `InvalidRequestError` when `method` cannot serve a request of `kind`:
 * a method that relabels D_f on a feature request, whose D_f keeps its true
 * labels. Callers check before any work; `run` checks again.
 */
export function checkMethodServes(method: { name: string; relabelsForget?: boolean }, kind: RequestKind): void {
  if (method.relabelsForget && kind === 'feature') {
    throw new InvalidRequestError(`${method.name} relabels the forget set, but a feature request keeps its true labels and restores the images; use ft, neggrad-plus, l1-sparse, scrub, ga, ssd or fisher`);
  }
}

/** Builds an `UnlearningMethod` from a definition (see module doc). */
export function defineMethod<H extends Hyperparameters>(def: MethodDefinition<H>): UnlearningMethod<H> {
  const defaults = Object.freeze({ ...def.defaults }) as H;
  return {
    name: def.name,
    description: def.description,
    defaults,
    relabelsForget: def.relabelsForget ?? false,
    async run(input: UnlearnInput, hp?: Partial<H>): Promise<UnlearnResult> {
      const resolved = resolveHyperparameters(def.name, defaults, hp, def.choices);
      validateInput(def.name, input, def.needsForget ?? true);
      if (input.requestKind) checkMethodServes({ name: def.name, relabelsForget: def.relabelsForget ?? false }, input.requestKind);
      const start = performance.now();
      const { model, steps } = await def.unlearn(input, resolved);
      return { model, steps, seconds: (performance.now() - start) / 1000 };
    },
  };
}
