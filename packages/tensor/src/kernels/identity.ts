import { Identity, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

/**
 * Identity on wasm without a copy. The engine clones every tensor a gradient
 * saves for the backward pass through this kernel, and stock wasm copies the
 * buffer each time (about 5% of a GN training step). Sharing the buffer with a
 * reference count is what wasm's own Reshape and cpu's Identity already do;
 * tfjs never writes into a tensor's buffer after it is made, so sharing is safe.
 */
export function makeIdentityConfig(stock: KernelFunc | undefined): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string' || x.dtype === 'complex64') {
      if (stock === undefined) throw new Error(`Identity on wasm: no stock kernel for ${x.dtype}`);
      return stock(args);
    }
    (args.backend as KernelBackend & RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  return { kernelName: Identity, backendName: 'wasm', kernelFunc };
}
