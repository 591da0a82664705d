/**
 * Flattens one example to [D]. A conv map is flattened in (C, H, W) order, as
 * `torch.flatten` does on NCHW, even though activations are NHWC internally.
 */
import { noTensors, type LayerDefinition } from '../layer-definition';

/** Flattens a feature map or sequence into a vector, in PyTorch's (C, H, W) order. */
export interface FlattenLayer {
  type: 'flatten';
}

export const flatten: LayerDefinition<FlattenLayer> = {
  type: 'flatten',
  mixesNeurons: false,
  validate: () => ({ type: 'flatten' }),
  outputShape: (_layer, shape) => [shape.reduce((a, b) => a * b, 1)],
  params: noTensors,
  buffers: noTensors,
  permute(_layer, step) {
    const { stream, input } = step;
    if (!stream || input.length <= 1) return stream;
    // (H, W, C) flattens channel-major (C, H, W); (T, D) flattens as t·D + d.
    return input.length === 3
      ? { group: stream.group, outer: 1, inner: (input[0] as number) * (input[1] as number) }
      : { group: stream.group, outer: input[0] as number, inner: 1 };
  },
};
