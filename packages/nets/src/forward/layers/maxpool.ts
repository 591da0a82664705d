import { tf } from '@metanet/tensor';
import type { MaxPoolLayer } from '@metanet/spec';
import type { LayerForward } from '../context';

export const maxpool: LayerForward<MaxPoolLayer> = (layer, x) => tf.maxPool(x as tf.Tensor4D, layer.size, layer.stride ?? layer.size, 'valid');
