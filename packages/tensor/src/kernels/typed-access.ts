import { heapKernelsFor, isWasmMemory, wasmMemoryOf, type HeapKernels } from './wasm-simd';
import { util, type DataId, type DataType, type KernelBackend, type TensorInfo } from '@tensorflow/tfjs-core';

/** Typed array types tfjs uses for numeric tensors. */
export type NumericArray = Float32Array | Int32Array | Uint8Array;

/** The parts of tfjs-backend-wasm's BackendWasm we use (it is not exported as a type-stable API). */
interface WasmBackendView {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): NumericArray;
  disposeData(dataId: DataId, force?: boolean): boolean;
}

/** The parts of tfjs-backend-cpu's MathBackendCPU we use. */
interface CpuBackendView {
  data: { get(dataId: DataId): { values: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: DataType, values?: NumericArray): TensorInfo;
  disposeIntermediateTensorInfo(t: TensorInfo): void;
}

export type SupportedBackend = 'wasm' | 'cpu';

function emptyArray(dtype: DataType, size: number): NumericArray {
  if (dtype === 'float32') return new Float32Array(size);
  if (dtype === 'int32') return new Int32Array(size);
  if (dtype === 'bool') return new Uint8Array(size);
  throw new Error(`metanet kernels support float32, int32 and bool tensors, not ${dtype}`);
}

/** An output a kernel allocates through TypedAccess.run. */
export interface OutputSpec {
  shape: number[];
  dtype: DataType;
  /**
   * Zero-fill before the kernel runs (scatter-add outputs need it; the wasm heap
   * allocator does not zero). Defaults to run's `zero` argument.
   */
  zero?: boolean;
}

/**
 * Backend-neutral access to tensor memory for kernels written over typed arrays.
 * On wasm the arrays are views into the wasm heap: outputs are allocated first and
 * every view is taken afterwards, because an allocation can grow the heap and
 * detach earlier views.
 */
export class TypedAccess {
  constructor(
    private readonly backend: KernelBackend,
    readonly backendName: SupportedBackend,
  ) {}

  /**
   * On wasm, the hand-written heap kernels bound to the backend's memory (views
   * handed to `run` then have byteOffset = heap address); null elsewhere.
   */
  heapKernels(): HeapKernels | null {
    if (this.backendName !== 'wasm') return null;
    const memory = wasmMemoryOf(this.backend);
    return isWasmMemory(memory) ? heapKernelsFor(memory) : null;
  }

  /**
   * The values of a tensor: on wasm a view of the heap (valid until the next
   * allocation), on cpu the backend's own array. The one place kernels read
   * tensor memory from.
   */
  view(t: TensorInfo): NumericArray {
    if (this.backendName === 'wasm') return (this.backend as unknown as WasmBackendView).typedArrayFromHeap(t);
    const values = (this.backend as unknown as CpuBackendView).data.get(t.dataId)?.values;
    if (!(values instanceof Float32Array || values instanceof Int32Array || values instanceof Uint8Array)) {
      throw new Error(`metanet kernels need numeric tensor data, got ${t.dtype}`);
    }
    return values;
  }

  /** The values of an int32 tensor (indices, segment ids), as `view`. */
  int32View(t: TensorInfo): Int32Array {
    const values = this.view(t);
    if (!(values instanceof Int32Array)) throw new Error(`metanet kernels need int32 indices, got ${t.dtype}`);
    return values;
  }

  /**
   * Allocates outputs (zero-filled unless `zero` is false or the output says
   * otherwise, for kernels that write every element), then calls `fn` with views
   * of the inputs and outputs. Returns the output tensor infos.
   */
  run(
    inputs: readonly TensorInfo[],
    outputs: readonly OutputSpec[],
    fn: (ins: NumericArray[], outs: NumericArray[]) => void,
    zero = true,
  ): TensorInfo[] {
    if (this.backendName === 'wasm') {
      const b = this.backend as unknown as WasmBackendView;
      const infos = outputs.map((o) => b.makeOutput(o.shape, o.dtype));
      const outs = infos.map((t) => this.view(t));
      outputs.forEach((o, i) => {
        if (o.zero ?? zero) outs[i]!.fill(0);
      });
      const ins = inputs.map((t) => this.view(t));
      fn(ins, outs);
      return infos;
    }
    const b = this.backend as unknown as CpuBackendView;
    // Fresh arrays are already zero on cpu.
    const outs = outputs.map((o) => emptyArray(o.dtype, util.sizeFromShape(o.shape)));
    const ins = inputs.map((t) => this.view(t));
    fn(ins, outs);
    return outputs.map((o, i) => b.makeTensorInfo(o.shape, o.dtype, outs[i]));
  }

  /** Frees a tensor info created inside a kernel (it is not tracked by the engine). */
  dispose(t: TensorInfo): void {
    if (this.backendName === 'wasm') (this.backend as unknown as WasmBackendView).disposeData(t.dataId);
    else (this.backend as unknown as CpuBackendView).disposeIntermediateTensorInfo(t);
  }
}
