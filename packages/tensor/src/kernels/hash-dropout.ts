import { util, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from '../errors';
import { runNative } from './native-run';

export const HASH_DROPOUT = 'MetanetHashDropout';

export interface HashDropoutAttrs {
  /** uint32 seed of the mask. */
  seed: number;
  /** Keep element i when its 32-bit hash is ≥ this (floor(rate·2³²)). */
  threshold: number;
  /** float32 1/(1 − rate). */
  scale: number;
}

/**
 * MetanetHashDropout on wasm (dropout.c): x times the hashed keep mask and the
 * inverted-dropout scale in one pass, with no mask tensor. Its gradient is the
 * same kernel on dy.
 */
export function makeHashDropoutConfig(): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { seed, threshold, scale } = args.attrs as unknown as HashDropoutAttrs;
    const outs = runNative(args.backend as KernelBackend, [x], [[...x.shape]], [], (native, [xp], [y]) =>
      native.hash_dropout(xp!, y!, util.sizeFromShape(x.shape), seed >>> 0, threshold, scale),
    );
    if (outs === null) throw new BackendUnavailableError(`${HASH_DROPOUT} needs WebAssembly SIMD; call hashDropout, which falls back to a host mask without it`);
    return outs[0]!;
  };
  return { kernelName: HASH_DROPOUT, backendName: 'wasm', kernelFunc };
}
