import type { Conv2dLayer } from '@metanet/spec';
import { attrInt, attrInts, attrString, type OnnxNode } from './graph';
import { output, type OnnxContext, type OnnxImporter } from './context';

/** Stride and padding of a Conv node in the spec's terms, or the reason it has none. */
export function convGeometryOf(node: OnnxNode, kernel: number[]): { stride: number | [number, number]; padding: 'same' | number } | string {
  if (attrInts(node, 'dilations', [1, 1]).some((d) => d !== 1)) return 'dilated convolutions are not supported';
  const [sh = 1, sw = 1] = attrInts(node, 'strides', [1, 1]);
  const stride: number | [number, number] = sh === sw ? sh : [sh, sw];
  const auto = attrString(node, 'auto_pad', 'NOTSET');
  if (auto === 'SAME_UPPER') return { stride, padding: 'same' };
  if (auto === 'VALID') return { stride, padding: 0 };
  if (auto !== 'NOTSET') return `auto_pad ${auto} is not supported; use explicit pads or SAME_UPPER`;
  const pads = attrInts(node, 'pads', [0, 0, 0, 0]);
  if (pads.some((p) => p !== pads[0])) return `asymmetric pads [${pads.join(', ')}] are not supported`;
  if (kernel.length !== 2) return `only 2-D kernels are supported, got ${kernel.length}-D`;
  return { stride, padding: pads[0] ?? 0 };
}

/** Conv (2-D, group 1): ONNX's weight (out, in, kh, kw) is already our layout. */
export const onnxConv: OnnxImporter = {
  ops: ['Conv'],
  read(ctx: OnnxContext) {
    const { node } = ctx;
    if (attrInt(node, 'group', 1) !== 1) ctx.unsupported('grouped or depthwise convolutions are not supported');
    const w = ctx.constant(1, 'weight');
    if (w.dims.length !== 4) ctx.unsupported(`only 2-D convolutions are supported (weight has rank ${w.dims.length})`);
    const [out, , kh, kw] = w.dims as [number, number, number, number];
    const geo = convGeometryOf(node, [kh, kw]);
    if (typeof geo === 'string') return ctx.unsupported(geo);
    const bias = node.input.length > 2 && !!node.input[2];
    const layer: Conv2dLayer = { type: 'conv2d', filters: out, kernel: kh === kw ? kh : [kh, kw], stride: geo.stride, padding: geo.padding, bias };
    ctx.push(layer);
    ctx.params.push(w.data);
    if (bias) ctx.params.push(ctx.constant(2, 'bias').data);
    return output(node);
  },
};
