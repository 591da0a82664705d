import { output, type OnnxImporter } from './context';

/** Nodes that leave an inference net's function unchanged: Identity, Dropout (inference), Pad by zero. */
export const onnxPassthrough: OnnxImporter = {
  ops: ['Identity', 'Dropout', 'Pad'],
  read(ctx) {
    const { node } = ctx;
    if (node.opType === 'Pad') {
      // torch exports AvgPool2d with a Pad of zeros before the AveragePool.
      const pads = ctx.constant(1, 'pads').data;
      if (pads.some((p) => p !== 0)) ctx.unsupported('a Pad with non-zero pads is not supported; pad inside the Conv instead');
    }
    if (node.opType === 'Dropout' && node.input.length > 2 && node.input[2]) {
      const training = ctx.graph.constant(node.input[2]);
      if (!training || training.data[0] !== 0) ctx.unsupported('Dropout in training mode is not supported; export the model in eval mode');
    }
    return output(node);
  },
};
