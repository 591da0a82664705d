import { GatherV2, util, type GatherV2Attrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { gatherRowsInto } from './gather-rows-core';
import { TypedAccess, type SupportedBackend } from './typed-access';

/**
 * GatherV2 with axis 0 and batchDims 0 (the message-passing case) as a row copy.
 * Stock wasm/cpu gather index every element through generic strided loops (about
 * 150-220 ms for 40k×64); other axes fall back to the stock kernel.
 */
export function makeGatherV2Config(backendName: SupportedBackend, stock: KernelFunc | undefined): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
    const { axis, batchDims } = args.attrs as unknown as GatherV2Attrs;
    const ax = util.parseAxisParam(axis, x.shape)[0] ?? 0;
    const fast = ax === 0 && (batchDims ?? 0) === 0 && x.shape.length >= 1 && indices.dtype === 'int32' && x.dtype !== 'string' && x.dtype !== 'complex64';
    if (!fast) {
      if (stock === undefined) throw new Error(`GatherV2 on ${backendName}: no stock kernel for axis ${ax}, batchDims ${batchDims}`);
      return stock(args);
    }
    const numRows = x.shape[0] ?? 0;
    const width = util.sizeFromShape(x.shape.slice(1));
    const outShape = [...indices.shape, ...x.shape.slice(1)];
    const access = new TypedAccess(args.backend as KernelBackend, backendName);
    const [out] = access.run([x, indices], [{ shape: outShape, dtype: x.dtype }], ([xv, iv], [ov]) => {
      gatherRowsInto(xv!, iv!, numRows, width, ov!, access.heapKernels());
    });
    return out!;
  };
  return { kernelName: GatherV2, backendName, kernelFunc };
}
