export { gatherSumAct, gatherSumActSegmentSum, type GatherTerm, type GatherSumActArgs } from './gather-sum-act';
export { linear, type LinearOptions } from './linear';
export { ACTIVATIONS, type Activation } from './activation';
