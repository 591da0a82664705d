/** The part avgpool and maxpool share: a square window with a stride, over [H, W, C] maps, per channel. */
import { posInt } from '../fields';
import { keepStream, noTensors, type LayerDefinition } from '../layer-definition';
import { convOutSize } from './conv2d';

/** A pooling layer over square windows: window size and stride. */
export interface WindowLayer<T extends string> {
  type: T;
  size: number;
  /** Default = size. */
  stride?: number;
}

export function windowLayer<T extends string>(type: T): LayerDefinition<WindowLayer<T>> {
  return {
    type,
    mixesNeurons: false,
    validate(raw, w) {
      const l: WindowLayer<T> = { type, size: posInt(raw.size, `${w}.size`) };
      if (raw.stride !== undefined) l.stride = posInt(raw.stride, `${w}.stride`);
      return l;
    },
    outputShape(layer, shape, check) {
      check.rank(shape, [3]);
      const s = layer.stride ?? layer.size;
      const [h, w, c] = shape as [number, number, number];
      return check.size([convOutSize(h, layer.size, s, 0), convOutSize(w, layer.size, s, 0), c]);
    },
    params: noTensors,
    buffers: noTensors,
    permute: keepStream,
  };
}
