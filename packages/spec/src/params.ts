/** Parameter and buffer layout of a spec, from each layer's definition. */
import type { LayerTensor } from './layer-definition';
import { layerDefinition } from './layers/index';
import { layerInputShapes } from './shapes';
import type { BufferInfo, NetSpec, ParamInfo } from './types';

function named<K extends string>(tensors: LayerTensor<K>[], i: number): { name: string; shape: number[]; kind: K; layerIndex: number }[] {
  return tensors.map((t) => ({ name: `layers.${i}.${t.name}`, shape: t.shape, kind: t.kind, layerIndex: i }));
}

/**
 * Every parameter tensor of the spec, in the order `params` lists them, with
 * PyTorch names (`layers.{i}.weight`, `layers.{i}.conv1.weight`, ...) and layouts
 * (dense (out, in), conv (out, in, kh, kw), norm γ/β (C)).
 */
export function paramInfos(spec: NetSpec): ParamInfo[] {
  const inputs = layerInputShapes(spec);
  return spec.layers.flatMap((layer, i) => named(layerDefinition(layer).params(layer, inputs[i] as number[]), i));
}

/** BN running statistics (mean then var, per BN in order), named as PyTorch's state_dict does. */
export function bufferInfos(spec: NetSpec): BufferInfo[] {
  const inputs = layerInputShapes(spec);
  return spec.layers.flatMap((layer, i) => named(layerDefinition(layer).buffers(layer, inputs[i] as number[]), i));
}

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Total number of trainable parameters (buffers excluded, as PyTorch counts). */
export function countParams(spec: NetSpec): number {
  return paramInfos(spec).reduce((n, info) => n + sizeOf(info.shape), 0);
}
