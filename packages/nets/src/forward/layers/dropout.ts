import { tf } from '@metanet/tensor';
import type { DropoutLayer } from '@metanet/spec';
import type { LayerForward } from '../context';
import { dropoutMask, mixSeed } from '../dropout-mask';

/**
 * Inverted dropout in train mode. The mask of dropout layer i is a pure function
 * of (seed, i), drawn on the host, so it is identical on every backend.
 */
export const dropout: LayerForward<DropoutLayer> = (layer, x, ctx) => {
  if (!ctx.training || layer.rate <= 0) return x;
  const mask = tf.tensor(dropoutMask(x.size, layer.rate, mixSeed(ctx.seed, ctx.index)), x.shape, 'float32');
  return tf.mul(x, tf.div(mask, 1 - layer.rate));
};
