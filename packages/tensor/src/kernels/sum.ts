import { Sum, util, type KernelBackend, type KernelConfig, type KernelFunc, type SumAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { TypedAccess } from './typed-access';

/**
 * Sum over leading axes of a float32 tensor on wasm (e.g. axis 0 of [E, D]: the
 * gradient of every broadcast bias add). The stock kernel first transposes the
 * reduced axes innermost, copying the whole tensor; here rows stream through the
 * SIMD module's `addrows`. Rows are added in order, in float32, like the stock
 * reduction. Other reductions (and hosts without the module) use the stock kernel,
 * except empty inputs: stock wasm returns uninitialised memory for those, so we
 * return zeros (any axes, float32 or int32).
 */
export function makeSumConfig(stock: KernelFunc | undefined): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as SumAttrs;
    if (stock === undefined) throw new Error('Sum on wasm: the stock kernel is missing');
    const rank = x.shape.length;
    const axes = util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    const access = new TypedAccess(args.backend as KernelBackend, 'wasm');
    if (util.sizeFromShape(x.shape) === 0 && (x.dtype === 'float32' || x.dtype === 'int32')) {
      // Stock wasm leaves the output uninitialised when there is nothing to add (any axes):
      // the sum over an empty set is 0.
      const shape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
      return access.run([], [{ shape, dtype: x.dtype }], () => undefined)[0]!;
    }
    const heap = access.heapKernels();
    const rows = util.sizeFromShape(x.shape.slice(0, axes.length));
    const inner = util.sizeFromShape(x.shape.slice(axes.length));
    if (!leading || x.dtype !== 'float32' || heap === null) return stock(args);
    const outShape = keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length);
    const [out] = access.run([x], [{ shape: outShape, dtype: 'float32' }], ([xv], [ov]) => {
      heap.addrows(xv!.byteOffset, 0, rows, inner * 4, ov!.byteOffset);
    });
    return out!;
  };
  return { kernelName: Sum, backendName: 'wasm', kernelFunc };
}
