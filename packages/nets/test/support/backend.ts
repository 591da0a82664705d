import { initBackend, tf } from '@metanet/tensor';

/**
 * The default backend, unless it cannot train convs yet (wasm without the
 * conv-backprop kernels @metanet/tensor registers): then cpu.
 */
export async function setupBackend(): Promise<string> {
  await initBackend();
  if (tf.getBackend() === 'wasm' && !tf.getKernel('Conv2DBackpropFilter', 'wasm')) await initBackend({ backend: 'cpu' });
  return tf.getBackend();
}
