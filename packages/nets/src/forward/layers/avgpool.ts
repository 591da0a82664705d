import { tf } from '@metanet/tensor';
import type { AvgPoolLayer } from '@metanet/spec';
import type { LayerForward } from '../context';

export const avgpool: LayerForward<AvgPoolLayer> = (layer, x) => tf.avgPool(x as tf.Tensor4D, layer.size, layer.stride ?? layer.size, 'valid');
