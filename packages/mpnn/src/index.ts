export { GMN, createGMN, type GMNOutput, type ApplyOptions } from './gmn';
export { DEFAULT_GMN_CONFIG, LAYER_NORM_PLACEMENTS, resolveConfig, type GMNConfig, type LayerNormPlacement } from './config';
export { chunkGraphTensors, graphTensors, type GraphTensors, type GraphNodeExtra, type GraphInput } from './graph-tensors';
export { MetaLayer, type EdgePhase, type EdgePools, type GraphState } from './layers/meta-layer';
export { EdgeModel, edgeInputParts, type Dims } from './layers/edge-model';
export { NodeModel, type MessageSide } from './layers/node-model';
export { GlobalModel } from './layers/global-model';
export { aggregate, aggregateFromPool, segmentPool } from './layers/aggregate';
export { ProjectedInput, type InputPart, type GraphIndex } from './layers/projected-input';
export { UpdateMlp } from './layers/update-mlp';
export { AGGREGATIONS, DIRECTIONS, INFERENCE, type Aggregation, type Direction, type BlockOptions, type ForwardContext } from './layers/options';
export { GraphHead } from './heads/graph-head';
export { EdgeHead } from './heads/edge-head';
export { ParamStore, type Init } from './nn/param-store';
export { gatherSumAct, gatherSumActSegmentSum, linear, ACTIVATIONS, type GatherTerm, type GatherSumActArgs, type LinearOptions, type Activation } from './ops/index';
export {
  DEFAULT_FEATURES,
  encodeEdgeFeatures,
  splitEdgeFeatures,
  edgeValueFeatureDim,
  edgeCategoryFeatureDim,
  type SplitEdgeFeatures,
  encodeNodeFeatures,
  edgeFeatureDim,
  nodeFeatureDim,
  type FeatureConfig,
} from './encoders/features';
export { MpnnError, InvalidGraphError, InvalidConfigError, InvalidGMNFileError, HeapBudgetError, HeapExhaustedError } from './errors';
export { trainStep, NonFiniteLossError, type ChunkLoss, type TrainStepOptions } from './train';
export { applyByEdges, trainStepByEdges, type EdgeChunkedLoss, type EdgeChunkedOutput, type EdgeChunkOptions } from './edge-chunks/index';
export {
  WASM_HEAP_LIMIT_BYTES,
  checkChunksFit,
  heapLimitBytes,
  inputBytesPerEdge,
  maxTrainableEdges,
  peakBytesDuring,
  trainingBytes,
  trainingMemory,
  type MeasurableModel,
  type MemoryOptions,
  type TrainingMemory,
} from './memory';
export { saveGMN } from './io/save';
export { loadGMN, readGMN, type SavedGMN } from './io/load';
export { GMN_FORMAT, GMN_VERSION, GMN_MANIFEST_FILE, GMN_WEIGHTS_FILE, type GMNManifest, type GMNTensorEntry } from './io/format';
