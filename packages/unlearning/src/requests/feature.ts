/**
 * The sets of a feature request (Warnecke et al., NDSS 2023, "Machine
 * Unlearning of Features and Labels"): a patch stamped on a fraction of one
 * class's training images, labels unchanged. The stamped training set is what
 * the original learns from; restoring the images gives the clean set, which is
 * both gold's training set and D_r, so every method that descends on D_r sees
 * Warnecke's replacement samples Z̃ (the restored images) beside the rest.
 */
import { tf } from '@metanet/tensor';
import { labelsOf, subsetDataset, type Dataset } from '@metanet/data';
import { EmptyForgetSetError } from '../errors';
import { sampleIndices, seedFor, splitByClasses } from './select';
import { patchMask, stampPatch, stampRows } from './trigger';
import type { FeatureProbeSets, FeatureRequest, RequestSets, SplitSets } from './types';

/** What `buildFeature` returns: the request's sets, without the fields `buildRequest` adds. */
export type BuiltSets = Omit<RequestSets, 'dispose' | 'request' | 'seed' | 'numClasses'>;

/** The held-out images of the classes other than the feature's, clean and stamped (true labels on both). */
function probeSets(ds: Dataset, request: FeatureRequest, own: (d: Dataset) => Dataset): FeatureProbeSets | undefined {
  const others = splitByClasses(labelsOf(ds), [request.class]).retain;
  if (others.length === 0) return undefined;
  const clean = own(subsetDataset(ds, others, `${ds.name}[not ${request.class}]`));
  const stamped = own({ name: `${clean.name}[${request.feature}]`, images: stampPatch(clean.images, request.patch), labels: tf.clone(clean.labels), classNames: ds.classNames, source: ds.source });
  const [, h, w, c] = ds.images.shape;
  return { clean, stamped, featureClass: request.class, mask: patchMask(request.patch, h, w, c) };
}

/**
 * Builds a feature request's sets on `train`/`test` (`val` optional): D_f the
 * stamped training images, D_r the clean (restored) training set, and test
 * forget/retain the stamped/clean test images of the other classes (so the
 * accuracy gap between them is the model's reliance on the feature).
 */
export function buildFeature(request: FeatureRequest, data: { train: Dataset; test: Dataset; val?: Dataset }, seed: number, own: (d: Dataset) => Dataset): BuiltSets {
  const yTrain = labelsOf(data.train);
  const inClass = splitByClasses(yTrain, [request.class]).forget;
  const k = Math.round(request.fraction * inClass.length);
  if (k === 0) throw new EmptyForgetSetError(`feature request: ${request.fraction} of class ${request.class}'s ${inClass.length} training images stamps none; use a larger fraction or more data`);
  const stampedIdx = sampleIndices(inClass, k, seedFor(seed, 0x55));
  const full = own({
    name: `${data.train.name}[${request.feature} on ${request.class}]`,
    images: stampRows(data.train.images, stampedIdx, request.patch),
    labels: tf.clone(data.train.labels),
    classNames: data.train.classNames,
    source: data.train.source,
  });
  const forget = own(subsetDataset(full, stampedIdx, `${full.name}[forget]`));
  const heldOut = (p: FeatureProbeSets | undefined, ds: Dataset): Partial<SplitSets> & { full: Dataset } => (p ? { forget: p.stamped, retain: p.clean, full: ds } : { full: ds });
  const feature = probeSets(data.test, request, own);
  const val = data.val ? heldOut(probeSets(data.val, request, own), data.val) : undefined;
  return {
    train: { forget, retain: data.train, full },
    test: heldOut(feature, data.test),
    val,
    ...(feature && { feature }),
  };
}
