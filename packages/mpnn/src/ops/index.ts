// The fused ops live in @metanet/tensor with their kernels; re-exported here (and from the package root) so the API stays whole.
export { gatherSumAct, gatherSumActSegmentSum, linear, ACTIVATIONS, type GatherTerm, type GatherSumActArgs, type LinearOptions, type Activation } from '@metanet/tensor';
