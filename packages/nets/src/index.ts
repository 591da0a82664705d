export * from './errors';
export { forward, forwardWithBuffers, initBuffers, type ForwardOptions, type ForwardResult } from './forward/forward';
export { initParams, initParamArrays, fans, type InitOptions, type InitScheme } from './init/init';
export { saveNet, loadNet, readNet, netToTensors, hostValues, type SavedNet, type LoadedNet, type NetArrays, type LoadNetOptions, type TensorLike } from './io/net';
export {
  NET_FORMAT,
  NET_VERSION,
  NET_BUNDLE,
  MANIFEST_FILE,
  WEIGHTS_FILE,
  writeBundle,
  readBundle,
  readBundleManifest,
  readBundleTensors,
  readBundleBytes,
  parseBundleManifest,
  decodeBundleTensors,
  type Manifest,
  type BundleManifest,
  type BundleKind,
  type ReadBundle,
  type NamedArray,
  type TensorEntry,
} from './io/bundle';
// The atomic writer lives in @metanet/data (the lowest package that writes files); re-exported for nets' users.
export { writeFileAtomic, sweepTempFiles } from '@metanet/data';
export { train, epochOrder, type TrainResult } from './train/train';
// One class for every training loop, from @metanet/tensor (train throws it with epoch and step).
export { NonFiniteLossError } from '@metanet/tensor';
export type { TrainOptions, EpochMetrics, EpochWeights, BatchProgress } from './train/options';
export type { PlateauOptions, EarlyStoppingOptions } from './train/schedule';
export { headOutput, headOutputs, headTargets, netLoss, checkHeadWeights, primaryHead, primaryHits, type HeadWeights } from './heads/heads';
export { evaluate, crossEntropy, predictClasses, type Evaluation, type EvaluateOptions } from './train/evaluate';
export { createOptimizerState, optimizerStep, disposeOptimizerState, type OptimizerConfig, type OptimizerState, type OptimizerKind } from './train/optimizer';
export { readLatestCheckpoint, LATEST_FILE } from './train/checkpoint';
export { mixSeed, dropoutMask } from './forward/dropout-mask';
export { permuteHidden, permuteRowsUncoupled, type PermutedNet } from './symmetry/permute';
export { importSafetensors, exportSafetensors, parseSafetensors, type ImportedNet, type ImportSafetensorsOptions, type SafetensorsFile } from './import/safetensors';
export { importLayersModel, importLayersModelObject, type LayersModelImport, type LayersModelLike } from './import/layers-model';
export { inferSafetensorsSpec, importSafetensorsInferred, SpecInferenceError, type InferSpecOptions, type InferredSpec } from './import/infer-spec';
export { importOnnx, SUPPORTED_ONNX_OPS, type OnnxImport } from './import/onnx/import';
export { loadSafetensors, loadSafetensorsInferred, loadLayersModel, loadOnnx } from './import/files';
