/** @metanet/unlearning/requests: forget requests and the sets they build. */
export type { ForgetRequest, RequestKind, ClassRequest, RandomRequest, SubpopulationRequest, TriggerRequest, FeatureRequest, ConceptRequest, FeatureProbeSets, TriggerPatch, PatchPosition, SplitSets, RequestSets } from './types';
export { buildRequest, validateRequest, type RequestData } from './build';
export { parseRequest, requestLabel, REQUEST_GRAMMAR } from './parse';
export { stampPatch, stampRows, patchMask, patchOrigin } from './trigger';
export { buildFeature, type BuiltSets } from './feature';
export { CONCEPTS, conceptClasses, conceptFromJson, buildConcept } from './concept';
export { sampleIndices, splitByClasses, complement } from './select';
