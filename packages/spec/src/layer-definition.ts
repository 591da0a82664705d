/**
 * What one layer type must say about itself. Each file under layers/ exports
 * one LayerDefinition; the list in layers/index.ts is the only place that
 * names them all, and validate, shapes, params and permutation dispatch
 * through it. A new layer type is one new file plus one line in that list.
 */
import type { Fields } from './fields';
import type { BufferKind, ParamKind } from './types';

/** A tensor a layer owns, named relative to the layer ('weight', 'conv1.weight', 'running_mean'). */
export interface LayerTensor<K extends string> {
  name: string;
  /** PyTorch layout. */
  shape: number[];
  kind: K;
}

/** Shape checks bound to one layer, so their errors name it ("layers[3] (conv2d) ...; fix the spec"). */
export interface ShapeCheck {
  /** Throws a spec error naming the layer, with `message` saying what is wrong. */
  fail(message: string): never;
  /** Throws unless the input has one of these ranks (1: [D], 2: [T, D], 3: [H, W, C]). */
  rank(shape: readonly number[], ranks: readonly number[]): void;
  /** Returns `shape` after checking it is non-empty and within MAX_ELEMENTS per example. */
  size(shape: number[]): number[];
}

/**
 * The hidden group whose neurons the activations carry at one point of the
 * network, and their layout: feature (o, c, j) = o·size·inner + c·inner + j
 * (inner > 1 after a conv map is flattened, outer > 1 after a sequence is).
 */
export interface Stream {
  group: string;
  outer: number;
  inner: number;
}

/** What a layer's `permute` can record in the permutation plan (see permutation.ts). */
export interface PermutationStep {
  /** `layers.{i}`: the prefix of the layer's tensor names. */
  readonly prefix: string;
  /** The layer's input shape. */
  readonly input: readonly number[];
  /** The group flowing in, or null where the neurons are the network's inputs or outputs. */
  readonly stream: Stream | null;
  /** Axis 1 of `tensor` reads the incoming stream. */
  consume(tensor: string): void;
  /** Axis 1 of `tensor` reads the neurons of `group` (one feature per neuron). */
  columns(tensor: string, group: string): void;
  /** Axis 0 of `tensor` is the neurons of `group` (one feature per neuron). */
  rows(tensor: string, group: string): void;
  /** Axis 0 of `tensor` is the incoming stream's features, with its layout (a norm after a flatten). */
  follow(tensor: string): void;
  /** A fresh group of `size` output neurons, or null when they are the network's outputs. */
  output(id: string, size: number): string | null;
  /** A group inside the layer (a residual block's inner channels): always hidden. */
  internal(id: string, size: number): string;
  /**
   * The incoming stream's features fall into contiguous blocks of `features`
   * that a permutation must keep whole (a group norm's groups).
   */
  partition(features: number): void;
}

/** Everything one layer type says about itself: validation, output shape, parameter and buffer layout, and its permutation steps. One per file under `layers/`. */
export interface LayerDefinition<L extends { readonly type: string }> {
  readonly type: L['type'];
  /**
   * True when the layer's outputs are new neurons, each a weighted sum over
   * its inputs (dense, conv, ...). The last such layer makes the network's
   * outputs, whose order is fixed; every earlier one makes a hidden group.
   */
  readonly mixesNeurons: boolean;
  /** Reads the layer's fields from untrusted JSON (its type already checked) into a normalised copy. */
  validate(raw: Fields, where: string): L;
  /** Output shape of one example (no batch axis); throws through `check` when the input does not fit. */
  outputShape(layer: L, input: number[], check: ShapeCheck): number[];
  /** Trainable tensors, in the order `params` lists them. */
  params(layer: L, input: readonly number[]): LayerTensor<ParamKind>[];
  /** Non-trainable buffers (BN running statistics), in order. */
  buffers(layer: L, input: readonly number[]): LayerTensor<BufferKind>[];
  /** Records which tensor axes follow which hidden group; returns the stream flowing out. */
  permute(layer: L, step: PermutationStep): Stream | null;
}

/** `params`/`buffers` of a layer that owns none. */
export const noTensors = (): never[] => [];

/** `permute` of a layer that keeps every neuron where it is (activations, pooling, dropout). */
export const keepStream = (_layer: unknown, step: PermutationStep): Stream | null => step.stream;

/** A stream of one feature per neuron of `group`, or null. */
export const streamOf = (group: string | null): Stream | null => (group ? { group, outer: 1, inner: 1 } : null);

export function last(shape: readonly number[]): number {
  return shape[shape.length - 1] as number;
}
