import { attrInt, attrInts, attrString } from './graph';
import { output, type OnnxImporter } from './context';

/** MaxPool / AveragePool with a square window, square stride and no padding (what the spec's pools are). */
export const onnxPool: OnnxImporter = {
  ops: ['MaxPool', 'AveragePool'],
  read(ctx) {
    const { node } = ctx;
    const [k, k2] = attrInts(node, 'kernel_shape', []);
    const [s = 1, s2 = 1] = attrInts(node, 'strides', [1, 1]);
    if (k === undefined || k !== k2 || s !== s2) ctx.unsupported('only square windows with equal strides are supported');
    const auto = attrString(node, 'auto_pad', 'NOTSET');
    if (attrInts(node, 'pads', [0, 0, 0, 0]).some((p) => p !== 0) || (auto !== 'NOTSET' && auto !== 'VALID')) ctx.unsupported('padded pooling is not supported');
    if (attrInt(node, 'ceil_mode', 0) !== 0) ctx.unsupported('ceil_mode pooling is not supported');
    if (attrInts(node, 'dilations', [1, 1]).some((d) => d !== 1)) ctx.unsupported('dilated pooling is not supported');
    if (node.output.length > 1 && node.output[1]) ctx.unsupported('MaxPool indices are not supported');
    ctx.push({ type: node.opType === 'MaxPool' ? 'maxpool' : 'avgpool', size: k as number, stride: s });
    return output(node);
  },
};
