import { otherConstant, output, scalar, soleConsumer, type OnnxPattern } from './context';

const near = (v: number | undefined, target: number): boolean => v !== undefined && Math.abs(v - target) <= 1e-6 * Math.abs(target);

/**
 * Exact GELU as exporters before opset 20 spell it (torch.nn.GELU):
 * x · (1 + erf(x / √2)) · 0.5, the tensor x feeding both Div and the first Mul.
 */
export const onnxGeluErf: OnnxPattern = {
  name: 'GELU (Div, Erf, Add, Mul, Mul)',
  match(ctx) {
    const { graph, tensor: x } = ctx;
    const users = graph.consumers(x);
    const div = users.find((n) => n.opType === 'Div');
    const mul = users.find((n) => n.opType === 'Mul');
    if (users.length !== 2 || !div || !mul || div.input[0] !== x || !near(scalar(graph.constant(div.input[1] ?? undefined)), Math.SQRT2)) return null;
    const erf = soleConsumer(graph, output(div), 'Erf');
    const add = erf && soleConsumer(graph, output(erf), 'Add');
    if (!add || !near(scalar(otherConstant(graph, add, output(erf as NonNullable<typeof erf>))), 1)) return null;
    if (!mul.input.includes(output(add))) return null;
    const half = soleConsumer(graph, output(mul), 'Mul');
    if (!half || !near(scalar(otherConstant(graph, half, output(mul))), 0.5)) return null;
    ctx.push({ type: 'activation', fn: 'gelu' });
    return output(half);
  },
};
