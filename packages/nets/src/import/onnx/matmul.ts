import { otherConstant, output, soleConsumer, type OnnxImporter } from './context';

/** MatMul by a constant (in, out) matrix, plus the Add of a constant bias when one follows: a dense layer. */
export const onnxMatmul: OnnxImporter = {
  ops: ['MatMul'],
  read(ctx) {
    const { node, graph } = ctx;
    if (node.input[0] !== ctx.tensor) ctx.unsupported('only MatMul of the activations by a constant matrix is supported');
    const b = ctx.constant(1, 'weight matrix');
    if (b.dims.length !== 2) ctx.unsupported(`the weight must be a matrix, got shape [${b.dims.join(', ')}]`);
    const [inn, out] = b.dims as [number, number];
    const w = new Float32Array(out * inn);
    for (let o = 0; o < out; o++) for (let i = 0; i < inn; i++) w[o * inn + i] = b.data[i * out + o] as number;
    const add = soleConsumer(graph, output(node), 'Add');
    const bias = add && otherConstant(graph, add, output(node));
    const withBias = bias !== undefined && bias.data.length === out;
    ctx.push({ type: 'dense', units: out, bias: withBias });
    ctx.params.push(w);
    if (!withBias) return output(node);
    ctx.params.push(bias.data);
    return output(add as NonNullable<typeof add>);
  },
};
