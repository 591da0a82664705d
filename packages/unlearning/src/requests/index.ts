/** @metanet/unlearning/requests: forget requests and the sets they build. */
export type { ForgetRequest, ClassRequest, RandomRequest, SubpopulationRequest, TriggerRequest, TriggerPatch, PatchPosition, SplitSets, RequestSets } from './types';
export { buildRequest, validateRequest, type RequestData } from './build';
export { parseRequest, requestLabel } from './parse';
export { stampPatch, patchOrigin } from './trigger';
export { sampleIndices, splitByClasses, complement } from './select';
