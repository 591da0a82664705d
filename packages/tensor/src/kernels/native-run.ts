import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernelsOfBackend, type NativeKernels } from './native';
import { TypedAccess } from './typed-access';

/**
 * Runs compiled kernels on the wasm heap: allocates float32 outputs (left
 * unzeroed: the callee writes all of them) and scratch buffers, hands `call`
 * heap addresses, frees the scratch. Null where the native kernels are
 * unavailable (another backend, no SIMD, or switched off).
 */
export function runNative(
  backend: KernelBackend,
  inputs: readonly TensorInfo[],
  outShapes: readonly number[][],
  scratchFloats: readonly number[],
  call: (native: NativeKernels, ins: number[], outs: number[], scratch: number[]) => void,
): TensorInfo[] | null {
  const native = nativeKernelsOfBackend(backend);
  if (native === null) return null;
  const access = new TypedAccess(backend, 'wasm');
  const specs = [...outShapes, ...scratchFloats.map((n) => [Math.max(1, n)])].map((shape) => ({ shape: [...shape], dtype: 'float32' as const }));
  const all = access.run(
    inputs,
    specs,
    (ins, outs) => {
      const at = outs.map((v) => v.byteOffset);
      call(native, ins.map((v) => v.byteOffset), at.slice(0, outShapes.length), at.slice(outShapes.length));
    },
    false,
  );
  for (const s of all.slice(outShapes.length)) access.dispose(s);
  return all.slice(0, outShapes.length);
}
