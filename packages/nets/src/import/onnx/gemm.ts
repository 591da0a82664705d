import { attrFloat, attrInt } from './graph';
import { output, type OnnxImporter } from './context';

/** Gemm y = α·A·B(ᵀ) + β·C with A the activations and B, C constants: a dense layer, weight (out, in). */
export const onnxGemm: OnnxImporter = {
  ops: ['Gemm'],
  read(ctx) {
    const { node } = ctx;
    if (node.input[0] !== ctx.tensor || attrInt(node, 'transA', 0) !== 0) ctx.unsupported('only Gemm with the activations as its first, untransposed operand is supported');
    if (ctx.shape.length !== 1) ctx.unsupported(`Gemm needs a flat input, got shape [${ctx.shape.join(', ')}]; flatten first`);
    const b = ctx.constant(1, 'B');
    if (b.dims.length !== 2) ctx.unsupported(`B must be a matrix, got shape [${b.dims.join(', ')}]`);
    const transB = attrInt(node, 'transB', 0) !== 0;
    const [r, c] = b.dims as [number, number];
    const [out, inn] = transB ? [r, c] : [c, r];
    const alpha = attrFloat(node, 'alpha', 1);
    const w = new Float32Array(out * inn);
    for (let o = 0; o < out; o++) for (let i = 0; i < inn; i++) w[o * inn + i] = alpha * (b.data[transB ? o * inn + i : i * out + o] as number);
    const hasBias = node.input.length > 2 && !!node.input[2];
    ctx.push({ type: 'dense', units: out, bias: hasBias });
    ctx.params.push(w);
    if (hasBias) {
      const cdata = ctx.constant(2, 'C').data;
      if (cdata.length !== out && cdata.length !== 1) ctx.unsupported(`C has ${cdata.length} values; only a per-output bias (${out}) or a scalar is supported`);
      const beta = attrFloat(node, 'beta', 1);
      ctx.params.push(Float32Array.from({ length: out }, (_, o) => beta * (cdata[cdata.length === 1 ? 0 : o] as number)));
    }
    return output(node);
  },
};
