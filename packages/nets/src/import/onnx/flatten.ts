import { sizeOf } from '@metanet/spec';
import { attrInt } from './graph';
import { output, type OnnxImporter } from './context';

/**
 * Flatten(axis 1) and Reshape to (batch, features): ONNX flattens NCHW in
 * (C, H, W) order, as our flatten does. On an already flat [C] (after a
 * global pool) they are no-ops.
 */
export const onnxFlatten: OnnxImporter = {
  ops: ['Flatten', 'Reshape'],
  read(ctx) {
    const { node } = ctx;
    if (node.opType === 'Flatten') {
      if (attrInt(node, 'axis', 1) !== 1) ctx.unsupported('only Flatten with axis 1 is supported');
    } else {
      const target = Array.from(ctx.constant(1, 'shape').data);
      const features = sizeOf([...ctx.shape]);
      if (target.length !== 2 || !(target[1] === -1 || target[1] === features)) {
        ctx.unsupported(`only a Reshape to (batch, ${features}) is supported, got [${target.join(', ')}]`);
      }
    }
    if (ctx.shape.length > 1) ctx.push({ type: 'flatten' });
    return output(node);
  },
};
