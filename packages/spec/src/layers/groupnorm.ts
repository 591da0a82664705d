/**
 * Group normalisation, as torch.nn.GroupNorm(groups, C): the channels are split into
 * `groups` runs of C / groups consecutive channels, each normalised per example over its
 * channels and every position; weight = γ (C), bias = β (C), no running statistics.
 *
 * Because a group's statistics mix its channels, a hidden permutation keeps the
 * function only if it maps each run onto a run, so `permute` partitions the
 * incoming group (see `partition` in permutation.ts).
 */
import { optNum, posInt } from '../fields';
import { last, noTensors, type LayerDefinition } from '../layer-definition';

/** Group normalisation over groups of channels, with γ and β. */
export interface GroupNormLayer {
  type: 'groupnorm';
  /** Number of groups; must divide the channels. 1 normalises all channels together, C each channel alone. */
  groups: number;
  /** Default 1e-5 (PyTorch). */
  eps?: number;
}

export const groupnorm: LayerDefinition<GroupNormLayer> = {
  type: 'groupnorm',
  mixesNeurons: false,
  validate(raw, w) {
    const l: GroupNormLayer = { type: 'groupnorm', groups: posInt(raw.groups, `${w}.groups`) };
    const eps = optNum(raw.eps, `${w}.eps`, 0, 1, true);
    if (eps !== undefined) l.eps = eps;
    return l;
  },
  outputShape(layer, shape, check) {
    // [D] or [H, W, C], as PyTorch's (N, C) and (N, C, H, W); a [T, D] sequence has no channel axis PyTorch would agree on.
    check.rank(shape, [1, 3]);
    const c = last(shape);
    if (c % layer.groups !== 0) check.fail(`has ${layer.groups} groups that do not divide its ${c} channels`);
    return shape;
  },
  params: (_layer, input) => [
    { name: 'weight', shape: [last(input)], kind: 'gamma' },
    { name: 'bias', shape: [last(input)], kind: 'beta' },
  ],
  buffers: noTensors,
  permute(layer, step) {
    if (!step.stream) return null;
    for (const s of ['weight', 'bias']) step.follow(`${step.prefix}.${s}`);
    step.partition(last(step.input) / layer.groups);
    return step.stream;
  },
};
