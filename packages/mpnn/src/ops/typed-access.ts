import { tf } from '@metanet/tensor';
import type { DataId, DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

export type NumericArray = Float32Array | Int32Array;

/** The parts of tfjs-backend-wasm's BackendWasm the fused kernels use. */
interface WasmBackendView {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** The parts of tfjs-backend-cpu's MathBackendCPU the fused kernels use. */
interface CpuBackendView {
  data: { get(dataId: DataId): { values: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: DataType, values?: NumericArray): TensorInfo;
}

export type KernelBackendName = 'wasm' | 'cpu';
export interface OutputSpec {
  shape: number[];
  dtype: 'float32' | 'int32';
  /** Zero-fill before the kernel runs (needed for scatter-add outputs; wasm's malloc does not zero). */
  zero: boolean;
}

/** A view of a float32/int32 tensor's values (on wasm, valid until the next allocation). */
function viewOf(backend: KernelBackend, backendName: KernelBackendName, t: TensorInfo): NumericArray {
  const values =
    backendName === 'wasm'
      ? (backend as unknown as WasmBackendView).typedArrayFromHeap(t)
      : (backend as unknown as CpuBackendView).data.get(t.dataId)?.values;
  if (!(values instanceof Float32Array || values instanceof Int32Array)) {
    throw new Error(`mpnn fused kernels need float32/int32 tensor data, got ${t.dtype}`);
  }
  return values;
}

/** A view of an int32 tensor's values (on wasm, valid until the next allocation). */
export function int32View(backend: KernelBackend, backendName: KernelBackendName, t: TensorInfo): Int32Array {
  const values = viewOf(backend, backendName, t);
  if (!(values instanceof Int32Array)) throw new Error(`mpnn fused kernels need int32 indices, got ${t.dtype}`);
  return values;
}

/**
 * Allocates outputs, then calls `fn` with views of inputs and outputs. On wasm the
 * views alias the heap, so every view is taken after the last allocation (an
 * allocation may grow the heap and detach earlier views).
 */
export function runTyped(
  backend: KernelBackend,
  backendName: KernelBackendName,
  inputs: readonly TensorInfo[],
  outputs: readonly OutputSpec[],
  fn: (ins: NumericArray[], outs: NumericArray[]) => void,
): TensorInfo[] {
  if (backendName === 'wasm') {
    const b = backend as unknown as WasmBackendView;
    const infos = outputs.map((o) => b.makeOutput(o.shape, o.dtype));
    const outs = infos.map((t) => b.typedArrayFromHeap(t) as NumericArray);
    outputs.forEach((o, i) => {
      if (o.zero) outs[i]!.fill(0);
    });
    const ins = inputs.map((t) => viewOf(backend, backendName, t));
    fn(ins, outs);
    return infos;
  }
  const b = backend as unknown as CpuBackendView;
  const outs = outputs.map((o) =>
    o.dtype === 'int32' ? new Int32Array(tf.util.sizeFromShape(o.shape)) : new Float32Array(tf.util.sizeFromShape(o.shape)),
  );
  const ins = inputs.map((t) => viewOf(backend, backendName, t));
  fn(ins, outs);
  return outputs.map((o, i) => b.makeTensorInfo(o.shape, o.dtype, outs[i]));
}
