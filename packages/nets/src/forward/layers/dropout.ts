import { hashDropout, type tf } from '@metanet/tensor';
import type { DropoutLayer } from '@metanet/spec';
import type { LayerForward } from '../context';
import { mixSeed } from '../dropout-mask';

/**
 * Inverted dropout in train mode. The mask of dropout layer i is a pure function
 * of (seed, i) (dropoutMask), identical on every backend; wasm computes it inside
 * its dropout kernel, with no mask tensor.
 */
export const dropout: LayerForward<DropoutLayer> = (layer, x, ctx) => {
  if (!ctx.training || layer.rate <= 0) return x;
  return hashDropout(x as tf.Tensor, layer.rate, mixSeed(ctx.seed, ctx.index));
};
