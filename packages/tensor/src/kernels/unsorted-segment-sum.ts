import { UnsortedSegmentSum, util, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo, type UnsortedSegmentSumAttrs } from '@tensorflow/tfjs-core';
import { IndexOutOfRangeError, InvalidTensorArgumentError } from '../errors';
import type { HeapKernels } from './wasm-simd';
import { TypedAccess, type NumericArray, type SupportedBackend } from './typed-access';

/** out[ids[e], :] += x[e, :]; negative ids are dropped, as in TensorFlow. O(E·width). */
export function segmentSumInto(x: NumericArray, ids: NumericArray, numSegments: number, width: number, out: NumericArray, heap: HeapKernels | null = null): void {
  const n = ids.length;
  for (let e = 0; e < n; e++) {
    const s = ids[e]!;
    if (s >= numSegments) {
      throw new IndexOutOfRangeError(`segment id ${s} at position ${e} is >= numSegments ${numSegments}; raise numSegments or fix the ids`);
    }
  }
  if (heap !== null && x instanceof Float32Array && n > 0 && width > 0) {
    // Views on the wasm heap: byteOffset is the heap address. f32x4 adds, same order as below.
    heap.segsum(x.byteOffset, ids.byteOffset, n, width * 4, out.byteOffset);
    return;
  }
  if (width === 1) {
    for (let e = 0; e < n; e++) {
      const s = ids[e]!;
      if (s >= 0) out[s] = out[s]! + x[e]!;
    }
    return;
  }
  for (let e = 0; e < n; e++) {
    const s = ids[e]!;
    if (s < 0) continue;
    let o = s * width;
    let i = e * width;
    const end = i + width;
    while (i < end) {
      out[o] = out[o]! + x[i++]!;
      o++;
    }
  }
}

/**
 * UnsortedSegmentSum: missing on wasm, and O(numSegments·E) time and memory on cpu
 * (it builds a one-hot mask per segment). This is one pass over the rows.
 */
export function makeUnsortedSegmentSumConfig(backendName: SupportedBackend): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const { numSegments } = args.attrs as unknown as UnsortedSegmentSumAttrs;
    const idsSize = util.sizeFromShape(segmentIds.shape);
    const prefix = x.shape.slice(0, segmentIds.shape.length);
    if (!util.arraysEqual(prefix, segmentIds.shape)) {
      throw new InvalidTensorArgumentError(
        `segment ids shape [${segmentIds.shape}] must be a prefix of x shape [${x.shape}]; pass one id per row`,
      );
    }
    const inner = x.shape.slice(segmentIds.shape.length);
    const width = util.sizeFromShape(inner);
    const outShape = [numSegments, ...inner];
    const access = new TypedAccess(args.backend as KernelBackend, backendName);
    const [out] = access.run([x, segmentIds], [{ shape: outShape, dtype: x.dtype }], ([xv, iv], [ov]) => {
      if (idsSize > 0) segmentSumInto(xv!, iv!, numSegments, width, ov!, access.heapKernels());
    });
    return out!;
  };
  return { kernelName: UnsortedSegmentSum, backendName, kernelFunc };
}
