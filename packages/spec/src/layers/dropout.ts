/** Inverted dropout in train mode, the identity in eval mode. */
import { InvalidSpecError } from '../errors';
import { optNum, short } from '../fields';
import { keepStream, noTensors, type LayerDefinition } from '../layer-definition';

/** Dropout (active in training only). */
export interface DropoutLayer {
  type: 'dropout';
  rate: number;
}

export const dropout: LayerDefinition<DropoutLayer> = {
  type: 'dropout',
  mixesNeurons: false,
  validate(raw, w) {
    const rate = optNum(raw.rate, `${w}.rate`, 0, 1);
    if (rate === undefined || rate >= 1) {
      throw new InvalidSpecError(`${w}.rate must be a number in [0, 1), got ${short(raw.rate)}; fix the spec`);
    }
    return { type: 'dropout', rate };
  },
  outputShape: (_layer, shape) => shape,
  params: noTensors,
  buffers: noTensors,
  permute: keepStream,
};
