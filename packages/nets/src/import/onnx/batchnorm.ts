import { attrFloat, attrInt } from './graph';
import { output, type OnnxImporter } from './context';

/**
 * BatchNormalization (inference form). ONNX's momentum weights the old running
 * value (running = running·m + batch·(1 − m)), PyTorch's the new one, so ours is 1 − m.
 */
export const onnxBatchnorm: OnnxImporter = {
  ops: ['BatchNormalization'],
  read(ctx) {
    const { node } = ctx;
    if (attrInt(node, 'training_mode', 0) !== 0 || node.output.length > 1) ctx.unsupported('training-mode BatchNormalization is not supported; export the model in eval mode');
    const eps = attrFloat(node, 'epsilon', 1e-5);
    const m = attrFloat(node, 'momentum', 0.9);
    ctx.push({ type: 'batchnorm', eps, ...(m > 0 && m < 1 ? { momentum: Math.fround(1 - m) } : {}) });
    ctx.params.push(ctx.constant(1, 'scale').data, ctx.constant(2, 'bias').data);
    ctx.buffers.push(ctx.constant(3, 'mean').data, ctx.constant(4, 'var').data);
    return output(node);
  },
};
