/**
 * The layer registry: every layer type NetSpec knows, one definition each, in
 * one list. `Layer`, `LayerType` and `LAYER_TYPES` are derived from it, so a
 * layer type exists exactly when its definition is listed here; the consumers
 * (nets' forward, graph's planner) key their handlers by `LayerType`, and
 * TypeScript and their coverage tests name any type they miss.
 */
import { UnsupportedLayerError } from '../errors';
import type { LayerDefinition } from '../layer-definition';
import { activation } from './activation';
import { attention } from './attention';
import { avgpool } from './avgpool';
import { batchnorm } from './batchnorm';
import { conv2d } from './conv2d';
import { dense } from './dense';
import { dropout } from './dropout';
import { flatten } from './flatten';
import { globalavgpool } from './globalavgpool';
import { groupnorm } from './groupnorm';
import { layernorm } from './layernorm';
import { maxpool } from './maxpool';
import { residual } from './residual';

/** Every layer definition; the order is the one error messages list layer types in. */
export const LAYERS = [dense, conv2d, batchnorm, layernorm, activation, avgpool, maxpool, globalavgpool, flatten, dropout, residual, attention, groupnorm] as const;

type LayerOfDefinition<D> = D extends LayerDefinition<infer L> ? L : never;

/** One layer of a NetSpec: the union of every listed definition's layer type. */
export type Layer = LayerOfDefinition<(typeof LAYERS)[number]>;

/** The name of a layer type, e.g. `'conv2d'`. */
export type LayerType = Layer['type'];

/** The layer of one type, e.g. `LayerOf<'conv2d'>` is `Conv2dLayer`. */
export type LayerOf<T extends LayerType> = Extract<Layer, { type: T }>;

/** Every layer type, in `LAYERS` order. */
export const LAYER_TYPES: readonly LayerType[] = LAYERS.map((d) => d.type);

const BY_TYPE: ReadonlyMap<string, LayerDefinition<Layer>> = new Map(LAYERS.map((d) => [d.type, d as unknown as LayerDefinition<Layer>] as const));

/** The definition of a layer type, or undefined for a type NetSpec does not know. */
export function findLayerDefinition(type: string): LayerDefinition<Layer> | undefined {
  return BY_TYPE.get(type);
}

/** The definition of `layer`'s type; throws UnsupportedLayerError for a type NetSpec does not know. */
export function layerDefinition<L extends Layer>(layer: L): LayerDefinition<L> {
  const def = BY_TYPE.get(layer.type);
  if (!def) throw new UnsupportedLayerError(`layer type ${JSON.stringify(layer.type)} is not supported; supported: ${LAYER_TYPES.join(', ')}`);
  return def as unknown as LayerDefinition<L>;
}

export type { DenseLayer } from './dense';
export type { Conv2dLayer, ConvGeometry } from './conv2d';
export type { BatchNormLayer } from './batchnorm';
export type { LayerNormLayer } from './layernorm';
export type { ActivationFn, ActivationLayer } from './activation';
export type { AvgPoolLayer } from './avgpool';
export type { MaxPoolLayer } from './maxpool';
export type { WindowLayer } from './window';
export type { GlobalAvgPoolLayer } from './globalavgpool';
export type { FlattenLayer } from './flatten';
export type { DropoutLayer } from './dropout';
export type { ResidualBlockLayer } from './residual';
export type { AttentionLayer } from './attention';
export type { GroupNormLayer } from './groupnorm';
export { ACTIVATION_FNS } from './activation';
export { convGeometry, convOutSize } from './conv2d';
export { residualGeometry } from './residual';
