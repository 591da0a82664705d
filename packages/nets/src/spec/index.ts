/**
 * @metanet/nets/spec: the tfjs-free part of @metanet/nets (types, validation,
 * shape inference, parameter layout, named architectures). Nothing under
 * src/spec may import tfjs: @metanet/graph and the browser explorer rely on it.
 */
export * from './types';
export * from './errors';
export { validateSpec, parseSpec, MAX_DIM, MAX_LAYERS, MAX_SPEC_CHARS } from './validate';
export {
  inferShapes,
  layerInputShapes,
  layerOutputShape,
  outputShape,
  convGeometry,
  convOutSize,
  residualGeometry,
  MAX_ELEMENTS,
  type ConvGeometry,
} from './shapes';
export { paramInfos, bufferInfos, countParams, sizeOf } from './params';
export { architecture, listArchitectures, describeArchitectures, type ArchitectureOptions } from './architectures';
export {
  permutationPlan,
  hiddenGroups,
  permuteHiddenArrays,
  randomHiddenPermutation,
  permuteAxis,
  expandedIndices,
  type HiddenGroup,
  type HiddenPermutation,
  type PermutationOp,
  type PermutationPlan,
} from './permutation';
