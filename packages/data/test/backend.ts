// Test-only backend setup until @metanet/tensor's initBackend lands.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { tf } from '@metanet/tensor';

export async function useBackend(name: 'cpu' | 'wasm' = 'cpu'): Promise<void> {
  await tf.setBackend(name);
  await tf.ready();
}
