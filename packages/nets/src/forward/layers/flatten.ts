import { tf } from '@metanet/tensor';
import type { FlattenLayer } from '@metanet/spec';
import type { LayerForward } from '../context';

/** Flatten one example in PyTorch's (C, H, W) order even though activations are (H, W, C). */
export const flatten: LayerForward<FlattenLayer> = (_layer, x) => {
  const n = x.shape[0] as number;
  if (x.rank === 4) return tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [n, -1]);
  return x.rank === 2 ? x : tf.reshape(x, [n, -1]);
};
