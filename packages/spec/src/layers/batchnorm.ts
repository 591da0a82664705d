/**
 * Batch normalisation over every axis but the last (channels), as torch.nn.BatchNorm1d/2d:
 * weight = γ (C), bias = β (C), and the running mean and variance (C) as buffers.
 */
import { optNum } from '../fields';
import { last, type LayerDefinition } from '../layer-definition';

/** Batch normalisation over channels, with γ, β and running statistics. */
export interface BatchNormLayer {
  type: 'batchnorm';
  /** Default 1e-5 (PyTorch). */
  eps?: number;
  /** PyTorch convention: running = (1 - momentum) * running + momentum * batch. Default 0.1. */
  momentum?: number;
}

export const batchnorm: LayerDefinition<BatchNormLayer> = {
  type: 'batchnorm',
  mixesNeurons: false,
  validate(raw, w) {
    const l: BatchNormLayer = { type: 'batchnorm' };
    const eps = optNum(raw.eps, `${w}.eps`, 0, 1, true);
    const momentum = optNum(raw.momentum, `${w}.momentum`, 0, 1);
    if (eps !== undefined) l.eps = eps;
    if (momentum !== undefined) l.momentum = momentum;
    return l;
  },
  outputShape(_layer, shape, check) {
    check.rank(shape, [1, 3]);
    return shape;
  },
  params: (_layer, input) => [
    { name: 'weight', shape: [last(input)], kind: 'gamma' },
    { name: 'bias', shape: [last(input)], kind: 'beta' },
  ],
  buffers: (_layer, input) => [
    { name: 'running_mean', shape: [last(input)], kind: 'running_mean' },
    { name: 'running_var', shape: [last(input)], kind: 'running_var' },
  ],
  permute(_layer, step) {
    // Over a flattened conv map the channel is an expanded index; `follow` carries the layout.
    if (step.stream) for (const s of ['weight', 'bias', 'running_mean', 'running_var']) step.follow(`${step.prefix}.${s}`);
    return step.stream;
  },
};
