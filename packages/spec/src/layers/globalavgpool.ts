/** Mean over the spatial axes: [H, W, C] → [C]. Channels keep their identity. */
import { keepStream, noTensors, type LayerDefinition } from '../layer-definition';

/** Global average pooling: one value per channel. */
export interface GlobalAvgPoolLayer {
  type: 'globalavgpool';
}

export const globalavgpool: LayerDefinition<GlobalAvgPoolLayer> = {
  type: 'globalavgpool',
  mixesNeurons: false,
  validate: () => ({ type: 'globalavgpool' }),
  outputShape(_layer, shape, check) {
    check.rank(shape, [3]);
    return [shape[2] as number];
  },
  params: noTensors,
  buffers: noTensors,
  permute: keepStream,
};
