import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';
import type { SupportedBackend } from './typed-access';
import { makeGatherV2Config } from './gather-v2';
import { makeUnsortedSegmentSumConfig } from './unsorted-segment-sum';
import { makeBatchMatMulConfig } from './batch-mat-mul';
import { makeFusedMatMulConfig } from './fused-mat-mul';
import { makeConv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { makeConv2DBackpropFilterWasmConfig } from './conv2d-backprop-filter-wasm';
import { makeConv2DConfig } from './conv2d';
import { makeFusedConv2DConfig } from './fused-conv2d';
import { makeConv2DBackpropInputConfig } from './conv2d-backprop-input';
import { makeOptimizerUpdateConfig, OPTIMIZER_UPDATE } from './optimizer-update';
import { BATCH_NORM_TRAIN, makeBatchNormTrainConfig } from './batch-norm-train';
import { BATCH_NORM_TRAIN_GRAD, makeBatchNormTrainGradConfig } from './batch-norm-train-grad';
import { makeAvgPoolConfig } from './avg-pool';
import { HASH_DROPOUT, makeHashDropoutConfig } from './hash-dropout';
import { FAST_GELU, FAST_GELU_GRAD, FAST_TANH, FAST_TANH_GRAD, makeFastGeluConfig, makeFastGeluGradConfig, makeFastTanhConfig, makeFastTanhGradConfig } from './activation';
import { CONV2D_BIAS_ACT, makeConv2DBiasActConfig } from './conv2d-bias-act';
import { BIAS_RELU_GRAD, makeBiasReluGradConfig } from './bias-relu-grad';
import { makeAvgPoolGradConfig } from './avg-pool-grad';
import { makeIdentityConfig } from './identity';
import { makeSumConfig } from './sum';
import { makeGatherSumActConfig } from './gather-sum-act';
import { makeGatherSumActGradConfig } from './gather-sum-act-grad';

/** A kernel override factory: receives the stock kernelFunc (if any) to delegate the cases it does not handle. */
type OverrideFactory = (backendName: SupportedBackend, stock: KernelFunc | undefined) => KernelConfig;

export interface KernelOverrideSpec {
  kernelName: string;
  backends: readonly SupportedBackend[];
  make: OverrideFactory;
}

/**
 * The registration list: every kernel metanet replaces or adds, and on which
 * backends. Adding a kernel is one file in this folder and one line here.
 */
export const KERNEL_OVERRIDES: readonly KernelOverrideSpec[] = [
  { kernelName: 'GatherV2', backends: ['wasm', 'cpu'], make: makeGatherV2Config },
  { kernelName: 'UnsortedSegmentSum', backends: ['wasm', 'cpu'], make: (b) => makeUnsortedSegmentSumConfig(b) },
  // cpu's transposed products are as fast as its plain ones (measured), so wasm only.
  { kernelName: 'BatchMatMul', backends: ['wasm'], make: (_b, stock) => makeBatchMatMulConfig(stock) },
  { kernelName: '_FusedMatMul', backends: ['wasm'], make: (_b, stock) => makeFusedMatMulConfig(stock) },
  { kernelName: 'Conv2DBackpropFilter', backends: ['cpu'], make: (b) => makeConv2DBackpropFilterConfig(b) },
  { kernelName: 'Conv2DBackpropFilter', backends: ['wasm'], make: () => makeConv2DBackpropFilterWasmConfig() },
  { kernelName: 'Conv2D', backends: ['wasm'], make: (_b, stock) => makeConv2DConfig(stock) },
  { kernelName: 'FusedConv2D', backends: ['wasm'], make: (_b, stock) => makeFusedConv2DConfig(stock) },
  { kernelName: 'Conv2DBackpropInput', backends: ['wasm'], make: (_b, stock) => makeConv2DBackpropInputConfig(stock) },
  { kernelName: OPTIMIZER_UPDATE, backends: ['wasm'], make: () => makeOptimizerUpdateConfig() },
  { kernelName: BATCH_NORM_TRAIN, backends: ['wasm'], make: () => makeBatchNormTrainConfig() },
  { kernelName: BATCH_NORM_TRAIN_GRAD, backends: ['wasm'], make: () => makeBatchNormTrainGradConfig() },
  { kernelName: HASH_DROPOUT, backends: ['wasm'], make: () => makeHashDropoutConfig() },
  { kernelName: FAST_TANH, backends: ['wasm'], make: () => makeFastTanhConfig() },
  { kernelName: FAST_TANH_GRAD, backends: ['wasm'], make: () => makeFastTanhGradConfig() },
  { kernelName: FAST_GELU, backends: ['wasm'], make: () => makeFastGeluConfig() },
  { kernelName: FAST_GELU_GRAD, backends: ['wasm'], make: () => makeFastGeluGradConfig() },
  { kernelName: CONV2D_BIAS_ACT, backends: ['wasm'], make: () => makeConv2DBiasActConfig() },
  { kernelName: BIAS_RELU_GRAD, backends: ['wasm'], make: () => makeBiasReluGradConfig() },
  { kernelName: 'AvgPool', backends: ['wasm'], make: (_b, stock) => makeAvgPoolConfig(stock) },
  { kernelName: 'AvgPoolGrad', backends: ['wasm'], make: (_b, stock) => makeAvgPoolGradConfig(stock) },
  { kernelName: 'Identity', backends: ['wasm'], make: (_b, stock) => makeIdentityConfig(stock) },
  { kernelName: 'Sum', backends: ['wasm'], make: (_b, stock) => makeSumConfig(stock) },
  // New kernels behind the gatherSumAct ops (no stock version).
  { kernelName: 'GatherSumAct', backends: ['wasm', 'cpu'], make: (b) => makeGatherSumActConfig(b) },
  { kernelName: 'GatherSumActGrad', backends: ['wasm', 'cpu'], make: (b) => makeGatherSumActGradConfig(b) },
];

interface OverrideState {
  /** `KernelName@backend` → the stock config (undefined when the backend lacks the kernel) and ours. */
  entries: Map<string, { stock: KernelConfig | undefined; override: KernelConfig }>;
  enabled: boolean;
}

/**
 * Kept on globalThis, like tfjs's own kernel registry, so that two copies of this
 * module (ESM and CJS builds loaded in one process) never wrap each other's
 * override as if it were the stock kernel.
 */
function state(): OverrideState {
  const key = Symbol.for('@metanet/tensor/kernel-overrides');
  const g = globalThis as unknown as Record<symbol, OverrideState | undefined>;
  let s = g[key];
  if (s === undefined) {
    s = { entries: new Map(), enabled: true };
    g[key] = s;
  }
  return s;
}

function install(config: KernelConfig): void {
  // Unregister first: tfjs warns when a kernel name is registered twice.
  if (getKernel(config.kernelName, config.backendName) !== undefined) unregisterKernel(config.kernelName, config.backendName);
  registerKernel(config);
}

/**
 * Registers every override once per process. The stock kernel is captured with
 * getKernel before unregistering, so overrides can delegate to it.
 */
export function registerOverrides(): void {
  const s = state();
  for (const spec of KERNEL_OVERRIDES) {
    for (const backendName of spec.backends) {
      const key = `${spec.kernelName}@${backendName}`;
      if (s.entries.has(key)) continue;
      const stock = getKernel(spec.kernelName, backendName);
      const made = spec.make(backendName, stock?.kernelFunc);
      // Keep the stock setup/dispose hooks: the stock kernels we delegate to rely
      // on them having run when the backend starts.
      const override: KernelConfig = { ...made };
      if (made.setupFunc === undefined && stock?.setupFunc !== undefined) override.setupFunc = stock.setupFunc;
      if (made.disposeFunc === undefined && stock?.disposeFunc !== undefined) override.disposeFunc = stock.disposeFunc;
      s.entries.set(key, { stock, override });
      if (s.enabled) install(override);
    }
  }
}

/**
 * Switches between metanet's kernels (true, the default) and tfjs's stock ones
 * (false; kernels the backend lacks become unregistered again). For benchmarks
 * and reference tests.
 */
export function setOverridesEnabled(enabled: boolean): void {
  const s = state();
  if (s.enabled === enabled) return;
  s.enabled = enabled;
  for (const { stock, override } of s.entries.values()) {
    if (enabled) install(override);
    else if (stock !== undefined) install(stock);
    else unregisterKernel(override.kernelName, override.backendName);
  }
}

/** Whether metanet's kernels are active (see setOverridesEnabled). */
export function overridesEnabled(): boolean {
  return state().enabled;
}

/** Overrides registered and active, as `KernelName@backend`. */
export function registeredOverrides(): string[] {
  const s = state();
  return s.enabled ? [...s.entries.keys()].sort() : [];
}
