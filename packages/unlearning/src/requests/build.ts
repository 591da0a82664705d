/**
 * `buildRequest` turns a plain request and a seed into forget/retain sets for
 * the train, val and test splits. Same request + seed + data → the same sets.
 */
import { tf } from '@metanet/tensor';
import {
  datasetSize,
  disposeDataset,
  forgetClassSplit,
  labelsOf,
  randomSubset,
  subPopulationSplit,
  subsetDataset,
  InvalidSplitError,
  type Dataset,
  type ForgetRetainSplit,
} from '@metanet/data';
import { EmptyForgetSetError, InvalidRequestError } from '../errors';
import { complement, seedFor, splitByClasses } from './select';
import { stampPatch, stampRows } from './trigger';
import { buildFeature, type BuiltSets } from './feature';
import { buildConcept } from './concept';
import type { ForgetRequest, RequestSets, SplitSets, TriggerRequest } from './types';

/** The data a request is built from: training, validation and test sets. */
export interface RequestData {
  train: Dataset;
  test: Dataset;
  val?: Dataset;
}

function checkClass(c: number, k: number, what: string): void {
  if (!Number.isInteger(c) || c < 0 || c >= k) throw new InvalidRequestError(`${what} ${c} is outside the label set [0, ${k}); pick a class in 0..${k - 1}`);
}

function checkFraction(f: number | undefined, what: string, allowOne: boolean): number {
  if (f === undefined || !Number.isFinite(f) || f <= 0 || (allowOne ? f > 1 : f >= 1)) {
    throw new InvalidRequestError(`${what} must be a number in (0, 1${allowOne ? ']' : ')'}, got ${f}; e.g. 0.1`);
  }
  return f;
}

/** Throws on a malformed request; returns the number of classes. */
export function validateRequest(request: ForgetRequest, numClasses: number): void {
  switch (request.kind) {
    case 'class':
      if (!Array.isArray(request.classes) || request.classes.length === 0) throw new InvalidRequestError('a class request needs at least one class; e.g. { kind: "class", classes: [0] }');
      request.classes.forEach((c) => checkClass(c, numClasses, 'forget class'));
      if (new Set(request.classes).size >= numClasses) throw new InvalidRequestError(`forgetting all ${numClasses} classes leaves nothing to retain; keep at least one class`);
      break;
    case 'random':
      if (request.size !== undefined) {
        if (!Number.isInteger(request.size) || request.size < 1) throw new InvalidRequestError(`random request size must be a positive integer, got ${request.size}`);
      } else checkFraction(request.fraction, 'random request fraction', false);
      break;
    case 'subpopulation':
      checkClass(request.class, numClasses, 'sub-population class');
      checkFraction(request.fraction, 'sub-population fraction', false);
      break;
    case 'trigger':
      checkClass(request.targetClass, numClasses, 'trigger target class');
      checkFraction(request.fraction, 'trigger fraction', false);
      break;
    case 'task':
      // Whether the net has this head is checked against the net (unlearnTask, evaluateTask).
      if (typeof request.head !== 'string' || request.head === '') throw new InvalidRequestError('a task request needs the name of the head to forget; e.g. { kind: "task", head: "group" }');
      break;
    case 'feature':
      checkClass(request.class, numClasses, 'feature class');
      checkFraction(request.fraction, 'feature fraction', true);
      break;
    case 'concept':
      if (request.name === undefined && request.indices === undefined && request.file === undefined) throw new InvalidRequestError('a concept request needs a name or indices; e.g. concept:footwear or concept:@indices.json');
      break;
    default:
      throw new InvalidRequestError(`unknown request kind '${String((request as { kind: unknown }).kind)}'; use class, random, subpopulation, trigger, feature, concept or task`);
  }
}

/** Runs a @metanet/data split, re-throwing its errors as this package's request errors. */
function dataSplit<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    // One class with data's; only the message gains the request's name.
    if (err instanceof EmptyForgetSetError) throw new EmptyForgetSetError(`${what}: ${err.message}`);
    if (err instanceof InvalidSplitError) throw new InvalidRequestError(`${what}: ${err.message}`);
    throw err;
  }
}

/** Held-out split by class; undefined when a side would be empty (e.g. a small --limit test set). */
function heldOutByClass(labels: Int32Array, classes: readonly number[]): ForgetRetainSplit | undefined {
  const s = splitByClasses(labels, classes);
  return s.forget.length === 0 || s.retain.length === 0 ? undefined : s;
}

/**
 * Builds the forget/retain sets of `request` on `data` (see `RequestSets`).
 * Throws `InvalidRequestError` for malformed requests and
 * `EmptyForgetSetError` when the request selects no training sample.
 */
export function buildRequest(request: ForgetRequest, data: RequestData, seed: number): RequestSets {
  const numClasses = data.train.classNames.length;
  validateRequest(request, numClasses);
  const owned: Dataset[] = [];
  const own = (d: Dataset): Dataset => {
    owned.push(d);
    return d;
  };
  const subset = (ds: Dataset, idx: Int32Array, tag: string): Dataset => own(subsetDataset(ds, idx, `${ds.name}[${tag}]`));
  const split = (ds: Dataset, f: Int32Array, r: Int32Array): SplitSets => ({ forget: subset(ds, f, 'forget'), retain: subset(ds, r, 'retain') });
  const dispose = (): void => {
    for (const d of owned) disposeDataset(d);
    owned.length = 0;
  };

  try {
    const yTrain = labelsOf(data.train);
    const n = datasetSize(data.train);
    let sets: BuiltSets;
    if (request.kind === 'trigger') {
      sets = buildTrigger(request, data, seed, own, split);
    } else if (request.kind === 'task') {
      // The forget target is a head: every sample carries both tasks, so both sides are the whole split.
      sets = {
        forgetHead: request.head,
        train: { forget: data.train, retain: data.train, full: data.train },
        test: { full: data.test },
        val: data.val ? { full: data.val } : undefined,
      };
    } else if (request.kind === 'feature') {
      sets = buildFeature(request, data, seed, own);
    } else if (request.kind === 'concept') {
      sets = buildConcept(request, data, split);
    } else {
      let trainSplit: ForgetRetainSplit;
      let heldOut = (_ds: Dataset): Partial<SplitSets> => ({});
      const byClass = (classes: readonly number[]) => (ds: Dataset): Partial<SplitSets> => {
        const s = heldOutByClass(labelsOf(ds), classes);
        return s ? split(ds, s.forget, s.retain) : {};
      };
      const what = `${request.kind} request on ${data.train.name}`;
      if (request.kind === 'class') {
        trainSplit = dataSplit(what, () => forgetClassSplit(yTrain, request.classes, { numClasses }));
        heldOut = byClass(request.classes);
      } else if (request.kind === 'random') {
        const size = request.size;
        if (size !== undefined && size >= n) throw new InvalidRequestError(`random request selects ${size} of ${n} samples, leaving nothing to retain; use a smaller size or fraction`);
        const r = dataSplit(what, () =>
          randomSubset(n, size !== undefined ? { size, seed: seedFor(seed, 0x52) } : { fraction: request.fraction as number, seed: seedFor(seed, 0x52) }),
        );
        trainSplit = { forget: r.subset, retain: r.rest };
      } else {
        trainSplit = dataSplit(what, () => subPopulationSplit(yTrain, { class: request.class, fraction: request.fraction, seed: seedFor(seed, 0x53), numClasses }));
        heldOut = byClass([request.class]);
      }
      const forgetIdx = trainSplit.forget;
      if (forgetIdx.length === 0) throw new EmptyForgetSetError(`the ${request.kind} request selects no training sample of ${data.train.name}; pick a class that occurs or a larger fraction`);
      sets = {
        forgetClasses: request.kind === 'class' ? [...request.classes] : undefined,
        train: { ...split(data.train, forgetIdx, trainSplit.retain), full: data.train },
        test: { ...heldOut(data.test), full: data.test },
        val: data.val ? { ...heldOut(data.val), full: data.val } : undefined,
      };
    }
    return { request, seed, numClasses, ...sets, dispose };
  } catch (err) {
    dispose();
    throw err;
  }
}

function buildTrigger(
  request: TriggerRequest,
  data: RequestData,
  seed: number,
  own: (d: Dataset) => Dataset,
  split: (ds: Dataset, f: Int32Array, r: Int32Array) => SplitSets,
): BuiltSets {
  const t = request.targetClass;
  const yTrain = labelsOf(data.train);
  const n = datasetSize(data.train);
  const others = splitByClasses(yTrain, [t]).retain;
  const k = Math.round(request.fraction * n);
  if (k === 0) throw new EmptyForgetSetError(`a trigger fraction of ${request.fraction} poisons no sample of ${n}; use a larger fraction`);
  if (k > others.length) throw new InvalidRequestError(`trigger fraction ${request.fraction} asks for ${k} poisoned samples but only ${others.length} are outside the target class; lower it`);
  const picked = dataSplit(`trigger request on ${data.train.name}`, () => randomSubset(others, { size: k, seed: seedFor(seed, 0x54) }));
  const poisoned = picked.subset;
  // Poisoned training set: same order as the clean one, patched rows relabelled.
  const labels = Int32Array.from(yTrain);
  for (const i of poisoned) labels[i] = t;
  const images = stampRows(data.train.images, poisoned, request.patch);
  const full = own({ name: `${data.train.name}[poisoned]`, images, labels: tf.tensor1d(labels, 'int32'), classNames: data.train.classNames, source: data.train.source });
  const attack = (ds: Dataset): Partial<SplitSets> => {
    const idx = splitByClasses(labelsOf(ds), [t]).retain;
    const [x, y] = tf.tidy(() => {
      const picked = tf.gather(ds.images, tf.tensor1d(idx, 'int32')) as tf.Tensor4D;
      return [stampPatch(picked, request.patch), tf.fill([idx.length], t, 'int32') as tf.Tensor1D] as const;
    });
    const forget = own({ name: `${ds.name}[patched]`, images: x, labels: y, classNames: ds.classNames, source: ds.source });
    return { forget, retain: ds };
  };
  return {
    train: { ...split(full, poisoned, complement(n, poisoned)), full },
    test: { ...attack(data.test), full: data.test },
    val: data.val ? { ...attack(data.val), full: data.val } : undefined,
  };
}
