import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';
import type { SupportedBackend } from './typed_access';
import { makeGatherV2Config } from './gather_v2';
import { makeUnsortedSegmentSumConfig } from './unsorted_segment_sum';

/** A kernel override factory: receives the stock kernelFunc (if any) to delegate the cases it does not handle. */
type OverrideFactory = (backendName: SupportedBackend, stock: KernelFunc | undefined) => KernelConfig;

interface OverrideSpec {
  kernelName: string;
  backends: readonly SupportedBackend[];
  make: OverrideFactory;
}

/** The registration list: every kernel metanet replaces or adds, and on which backends. */
export const KERNEL_OVERRIDES: readonly OverrideSpec[] = [
  { kernelName: 'GatherV2', backends: ['wasm', 'cpu'], make: makeGatherV2Config },
  { kernelName: 'UnsortedSegmentSum', backends: ['wasm', 'cpu'], make: (b) => makeUnsortedSegmentSumConfig(b) },
];

const registered = new Set<string>();

/**
 * Registers every override once per process. The stock kernel is captured with
 * getKernel before unregistering, so overrides can delegate to it; unregistering
 * first keeps tfjs from warning "already registered".
 */
export function registerOverrides(): void {
  for (const spec of KERNEL_OVERRIDES) {
    for (const backendName of spec.backends) {
      const key = `${spec.kernelName}@${backendName}`;
      if (registered.has(key)) continue;
      const stock = getKernel(spec.kernelName, backendName);
      const config = spec.make(backendName, stock?.kernelFunc);
      if (stock !== undefined) unregisterKernel(spec.kernelName, backendName);
      registerKernel(config);
      registered.add(key);
    }
  }
}

/** Overrides registered so far, as `KernelName@backend`. */
export function registeredOverrides(): string[] {
  return [...registered].sort();
}
