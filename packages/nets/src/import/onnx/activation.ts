import type { ActivationFn } from '@metanet/spec';
import { attrFloat } from './graph';
import { output, type OnnxImporter } from './context';

const FNS: Record<string, ActivationFn> = { Relu: 'relu', Tanh: 'tanh', Sigmoid: 'sigmoid', LeakyRelu: 'leaky_relu', Gelu: 'gelu' };

/** Elementwise activations. Gelu is an op from opset 20; older exports spell it out (see gelu.ts). */
export const onnxActivation: OnnxImporter = {
  ops: Object.keys(FNS),
  read(ctx) {
    const op = ctx.node.opType as string;
    const fn = FNS[op] as ActivationFn;
    if (op === 'Gelu' && (ctx.node.attribute ?? []).some((a) => a.name === 'approximate' && a.s && new TextDecoder().decode(a.s) !== 'none')) ctx.unsupported('the tanh approximation of Gelu is not supported; export with approximate="none"');
    ctx.push(fn === 'leaky_relu' ? { type: 'activation', fn, alpha: attrFloat(ctx.node, 'alpha', 0.01) } : { type: 'activation', fn });
    return output(ctx.node);
  },
};
