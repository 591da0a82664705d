import { initBackend } from '@metanet/tensor';

/** Tests pin a backend: cpu for exact small checks, wasm for the training test. */
export async function useBackend(name: 'cpu' | 'wasm' = 'cpu'): Promise<void> {
  await initBackend({ backend: name });
}
