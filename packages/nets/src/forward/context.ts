import type { tf } from '@metanet/tensor';
import type { Layer, LayerOf, LayerType } from '@metanet/spec';

/** What a layer's forward handler sees of the pass it runs in. */
export interface ForwardContext {
  /** Index of the layer in `spec.layers`. */
  readonly index: number;
  /** Train mode: BN uses batch statistics (and updates running ones), dropout is on. */
  readonly training: boolean;
  /** Seed of this pass's dropout masks. */
  readonly seed: number;
  /** The layer's parameter tensor named `suffix` ('weight', 'conv1.weight'). */
  param(suffix: string): tf.Tensor;
  /** A parameter the spec may switch off (a bias); undefined when it has. */
  optionalParam(suffix: string): tf.Tensor | undefined;
  /** Batch norm of the layer's module `module` ('' for the layer itself), reading and updating its running statistics. */
  batchNorm(x: tf.Tensor, module?: string, eps?: number, momentum?: number): tf.Tensor;
}

/** The forward of one layer type: its output for a batch `x`. */
export type LayerForward<L extends Layer> = (layer: L, x: tf.Tensor, ctx: ForwardContext) => tf.Tensor;

/** One forward per layer type; TypeScript rejects the record while a type lacks one. */
export type LayerForwards = { readonly [T in LayerType]: LayerForward<LayerOf<T>> };
