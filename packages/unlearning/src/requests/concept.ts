/**
 * The sets of a concept request: a predicate over samples that is not one
 * label. Named concepts are sets of class names, resolved against the
 * dataset's own names (so `footwear` refuses MNIST instead of forgetting
 * digits 5, 7 and 9); index concepts name the samples directly. Gold retrains
 * without the concept's samples.
 */
import { datasetSize, labelsOf, type Dataset } from '@metanet/data';
import { EmptyForgetSetError, InvalidRequestError } from '../errors';
import type { BuiltSets } from './feature';
import { complement, splitByClasses } from './select';
import type { ConceptRequest, SplitSets } from './types';

/** Named concepts: each a set of class names (Fashion-MNIST's spelling). */
export const CONCEPTS: Readonly<Record<string, readonly string[]>> = {
  footwear: ['Sandal', 'Sneaker', 'Ankle boot'],
  tops: ['T-shirt/top', 'Pullover', 'Coat', 'Shirt'],
};

/** The class ids of a named concept on a dataset with `classNames`; throws naming the fix when they are missing. */
export function conceptClasses(name: string, classNames: readonly string[], datasetName = 'this dataset'): number[] {
  const wanted = CONCEPTS[name];
  if (!wanted) throw new InvalidRequestError(`unknown concept '${name}'; use one of ${Object.keys(CONCEPTS).join(', ')}, or an index file: concept:@indices.json`);
  const ids = wanted.map((c) => classNames.indexOf(c));
  if (ids.some((i) => i < 0)) {
    throw new InvalidRequestError(`concept '${name}' needs the classes ${wanted.join(', ')}, which ${datasetName} does not name; use --dataset fashion-mnist, or list the samples in an index file: concept:@indices.json`);
  }
  return ids;
}

/** Sorted, unique, in-range indices; throws naming the offender. */
function checkedIndices(idx: readonly number[], n: number, what: string): Int32Array {
  for (const i of idx) if (!Number.isInteger(i) || i < 0 || i >= n) throw new InvalidRequestError(`concept ${what} index ${i} is outside [0, ${n}); list indices of the ${what} set`);
  return Int32Array.from(new Set(idx)).sort();
}

function membership(n: number, idx: Int32Array): Int32Array {
  const m = new Int32Array(n);
  for (const i of idx) m[i] = 1;
  return m;
}

/**
 * Builds a concept request's sets: D_f the concept's training samples, D_r the
 * rest; test (and val) forget/retain likewise when the concept covers them
 * (named concepts always; index concepts when the file lists `test` indices).
 */
export function buildConcept(
  request: ConceptRequest,
  data: { train: Dataset; test: Dataset; val?: Dataset },
  split: (ds: Dataset, f: Int32Array, r: Int32Array) => SplitSets,
): BuiltSets {
  const nTrain = datasetSize(data.train);
  const nTest = datasetSize(data.test);
  const both = (ds: Dataset, f: Int32Array): Partial<SplitSets> => (f.length === 0 || f.length === datasetSize(ds) ? {} : split(ds, f, complement(datasetSize(ds), f)));
  let trainIdx: Int32Array;
  let testIdx: Int32Array | undefined;
  let valIdx: Int32Array | undefined;
  let forgetClasses: number[] | undefined;
  if (request.name !== undefined) {
    forgetClasses = conceptClasses(request.name, data.train.classNames, data.train.name);
    trainIdx = splitByClasses(labelsOf(data.train), forgetClasses).forget;
    testIdx = splitByClasses(labelsOf(data.test), forgetClasses).forget;
    if (data.val) valIdx = splitByClasses(labelsOf(data.val), forgetClasses).forget;
  } else if (request.indices) {
    trainIdx = checkedIndices(request.indices.train, nTrain, 'train');
    if (request.indices.test) testIdx = checkedIndices(request.indices.test, nTest, 'test');
  } else if (request.file !== undefined) {
    throw new InvalidRequestError(`concept:@${request.file} has not been read; read it first (readConceptFile in the CLI) so the request carries its indices`);
  } else {
    throw new InvalidRequestError('a concept request needs a name or indices; e.g. concept:footwear or concept:@indices.json');
  }
  if (trainIdx.length === 0) throw new EmptyForgetSetError(`the concept selects no training sample of ${data.train.name}; pick a concept that occurs, or more data`);
  if (trainIdx.length === nTrain) throw new InvalidRequestError(`the concept selects all ${nTrain} training samples, leaving nothing to retain; narrow it`);
  return {
    ...(forgetClasses && { forgetClasses }),
    train: { ...split(data.train, trainIdx, complement(nTrain, trainIdx)), full: data.train },
    test: { ...(testIdx ? both(data.test, testIdx) : {}), full: data.test },
    val: data.val ? { ...(valIdx ? both(data.val, valIdx) : {}), full: data.val } : undefined,
    ...(testIdx && testIdx.length > 0 && testIdx.length < nTest && { concept: { testMembership: membership(nTest, testIdx) } }),
  };
}

/**
 * The request of an index file's text: a JSON array of training indices, or
 * `{ "train": [...], "test": [...] }` (test optional). Pure, so browsers can use
 * it; the CLI reads the file.
 */
export function conceptFromJson(text: string, file: string): ConceptRequest {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new InvalidRequestError(`concept file ${file} is not JSON; write an array of training indices or {"train": [...], "test": [...]}`);
  }
  const ints = (a: unknown): a is number[] => Array.isArray(a) && a.every((i) => Number.isInteger(i));
  if (ints(v)) return { kind: 'concept', file, indices: { train: v } };
  if (typeof v === 'object' && v !== null && ints((v as { train?: unknown }).train)) {
    const o = v as { train: number[]; test?: unknown };
    if (o.test !== undefined && !ints(o.test)) throw new InvalidRequestError(`concept file ${file}: "test" must be an array of integer indices`);
    return { kind: 'concept', file, indices: { train: o.train, ...(o.test !== undefined && { test: o.test as number[] }) } };
  }
  throw new InvalidRequestError(`concept file ${file} holds no index list; write an array of training indices or {"train": [...], "test": [...]}`);
}
