/**
 * Multi-head self-attention over a sequence input (T, D), as torch.nn.MultiheadAttention
 * with separate projections: q_proj, k_proj, v_proj, out_proj (each (D, D) weight + (D) bias).
 */
import { optBool, posInt } from '../fields';
import { last, noTensors, streamOf, type LayerDefinition, type LayerTensor } from '../layer-definition';
import type { ParamKind } from '../types';

/** Multi-head self-attention over a sequence (T, D), as `torch.nn.MultiheadAttention`. */
export interface AttentionLayer {
  type: 'attention';
  heads: number;
  /** Default true. */
  bias?: boolean;
}

export const attention: LayerDefinition<AttentionLayer> = {
  type: 'attention',
  mixesNeurons: true,
  validate(raw, w) {
    const l: AttentionLayer = { type: 'attention', heads: posInt(raw.heads, `${w}.heads`) };
    const bias = optBool(raw.bias, `${w}.bias`);
    if (bias !== undefined) l.bias = bias;
    return l;
  },
  outputShape(layer, shape, check) {
    check.rank(shape, [2]);
    const d = shape[1] as number;
    if (d % layer.heads !== 0) check.fail(`has ${layer.heads} heads that do not divide the model width ${d}`);
    return shape;
  },
  params(layer, input) {
    const c = last(input);
    const out: LayerTensor<ParamKind>[] = [];
    for (const proj of ['q_proj', 'k_proj', 'v_proj', 'out_proj']) {
      out.push({ name: `${proj}.weight`, shape: [c, c], kind: 'weight' });
      if (layer.bias !== false) out.push({ name: `${proj}.bias`, shape: [c], kind: 'bias' });
    }
    return out;
  },
  buffers: noTensors,
  permute(layer, step) {
    const pre = step.prefix;
    for (const p of ['q_proj', 'k_proj', 'v_proj']) step.consume(`${pre}.${p}.weight`);
    const g = step.output(pre, step.input[1] as number);
    if (g) {
      step.rows(`${pre}.out_proj.weight`, g);
      if (layer.bias !== false) step.rows(`${pre}.out_proj.bias`, g);
    }
    return streamOf(g);
  },
};
