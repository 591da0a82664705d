import { getKernel, type KernelBackend, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Runs a registered kernel of this backend directly, outside the engine. The
 * result is not tracked by the engine: the caller must dispose it (TypedAccess.dispose).
 */
export function callKernel(
  kernelName: string,
  backendName: string,
  backend: KernelBackend,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const k = getKernel(kernelName, backendName);
  if (k === undefined) throw new Error(`kernel ${kernelName} is not registered for backend ${backendName}`);
  const out = k.kernelFunc({ inputs, attrs, backend });
  if (Array.isArray(out)) throw new Error(`kernel ${kernelName} returned several outputs where one was expected`);
  return out;
}

/** Swaps the last two axes (a batched matrix transpose) with the wasm backend's Transpose kernel; caller disposes. */
export function transposeLast2(backend: KernelBackend, x: TensorInfo): TensorInfo {
  const r = x.shape.length;
  const perm = [...Array(r).keys()];
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return callKernel('Transpose', 'wasm', backend, { x }, { perm });
}
