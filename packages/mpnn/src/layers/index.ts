export { MetaLayer, type EdgePhase, type EdgePools, type GraphState } from './meta-layer';
export { EdgeModel, edgeInputParts, type Dims } from './edge-model';
export { NodeModel, type MessageSide } from './node-model';
export { GlobalModel } from './global-model';
export { aggregate, aggregateFromPool, segmentPool } from './aggregate';
export { ProjectedInput, type InputPart, type GraphIndex } from './projected-input';
export { UpdateMlp } from './update-mlp';
export { AGGREGATIONS, DIRECTIONS, INFERENCE, type Aggregation, type Direction, type BlockOptions, type ForwardContext } from './options';
