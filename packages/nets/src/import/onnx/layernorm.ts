import { attrFloat, attrInt } from './graph';
import { output, type OnnxImporter } from './context';

/** LayerNormalization (opset 17) over the last axis: scale = γ, B = β. */
export const onnxLayernorm: OnnxImporter = {
  ops: ['LayerNormalization'],
  read(ctx) {
    const { node } = ctx;
    const axis = attrInt(node, 'axis', -1);
    if (axis !== -1 && axis !== ctx.shape.length) ctx.unsupported(`only normalisation over the last axis is supported, got axis ${axis}`);
    if (node.output.length > 1 && node.output.slice(1).some((o) => o)) ctx.unsupported('the Mean and InvStdDev outputs are not supported');
    const c = ctx.shape[ctx.shape.length - 1] as number;
    ctx.push({ type: 'layernorm', eps: attrFloat(node, 'epsilon', 1e-5) });
    ctx.params.push(ctx.constant(1, 'scale').data, node.input[2] ? ctx.constant(2, 'bias').data : new Float32Array(c));
    return output(node);
  },
};
