/** Layer normalisation over the last (feature/channel) axis, as torch.nn.LayerNorm(C): weight = γ (C), bias = β (C). */
import { optNum } from '../fields';
import { last, noTensors, type LayerDefinition } from '../layer-definition';

/** Layer normalisation over the last axis, with γ and β. */
export interface LayerNormLayer {
  type: 'layernorm';
  /** Default 1e-5. Normalises over the last (feature/channel) axis. */
  eps?: number;
}

export const layernorm: LayerDefinition<LayerNormLayer> = {
  type: 'layernorm',
  mixesNeurons: false,
  validate(raw, w) {
    const l: LayerNormLayer = { type: 'layernorm' };
    const eps = optNum(raw.eps, `${w}.eps`, 0, 1, true);
    if (eps !== undefined) l.eps = eps;
    return l;
  },
  outputShape: (_layer, shape) => shape,
  params: (_layer, input) => [
    { name: 'weight', shape: [last(input)], kind: 'gamma' },
    { name: 'bias', shape: [last(input)], kind: 'beta' },
  ],
  buffers: noTensors,
  permute(_layer, step) {
    if (step.stream) for (const s of ['weight', 'bias']) step.follow(`${step.prefix}.${s}`);
    return step.stream;
  },
};
