/**
 * @metanet/spec: a network's architecture as plain JSON (NetSpec), with
 * validation, shape inference, parameter layout, permutation symmetries and
 * named architectures. One file per layer type under layers/, one list of
 * them in layers/index.ts. No tfjs: @metanet/graph and the browser explorer
 * depend on this package alone.
 */
export * from './types';
export * from './errors';
// Re-exported whole, so a new layer file's type needs no edit here.
export * from './layers/index';
export type { LayerDefinition, LayerTensor, PermutationStep, ShapeCheck, Stream } from './layer-definition';
export { validateSpec, parseSpec, MAX_DIM, MAX_LAYERS, MAX_SPEC_CHARS } from './validate';
export { inferShapes, layerInputShapes, layerOutputShape, outputShape, MAX_ELEMENTS } from './shapes';
export { paramInfos, bufferInfos, countParams, sizeOf } from './params';
export { headSlices, findHead, headLabels, namedHeads, validateHeads, FASHION_MNIST_GROUPS, NAMED_HEADS, MAX_HEADS, type HeadSpec, type HeadSlice } from './heads';
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
