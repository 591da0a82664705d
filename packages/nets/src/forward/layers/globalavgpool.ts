import { tf } from '@metanet/tensor';
import type { GlobalAvgPoolLayer } from '@metanet/spec';
import type { LayerForward } from '../context';

export const globalavgpool: LayerForward<GlobalAvgPoolLayer> = (_layer, x) => tf.mean(x, [1, 2]);
