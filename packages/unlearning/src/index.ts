export type { TrainedNet, UnlearnInput, UnlearnResult, UnlearningMethod } from './types';
export * from './errors';
export { optimize, type OptimizeOptions, type OptimizeResult, type BatchSource, type BatchPart, type Batch, type LossContext, type LossFn } from './loop';
export type { OptimizerKind } from './optimizer';
