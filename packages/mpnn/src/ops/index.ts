// The fused ops live in @metanet/tensor (with their kernels); `@metanet/mpnn/ops` re-exports them.
export { gatherSumAct, gatherSumActSegmentSum, linear, ACTIVATIONS, type GatherTerm, type GatherSumActArgs, type LinearOptions, type Activation } from '@metanet/tensor';
