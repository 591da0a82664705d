/**
 * NetSpec: a network's architecture as plain JSON-serialisable data, with no
 * tfjs anywhere in this package, so @metanet/graph and the docs' browser
 * explorer can use it alone. Each layer type is one file under layers/.
 *
 * Tensor layout follows PyTorch, so that weights exported from PyTorch load
 * without reshuffling:
 * - dense weight: (out, in); bias: (out)
 * - conv2d weight: (out, in, kh, kw); bias: (out)
 * - batchnorm / layernorm: weight = γ (C), bias = β (C); batchnorm's
 *   running_mean and running_var are buffers (C), not parameters.
 * - flatten: a conv feature map is flattened in (C, H, W) order, as
 *   `torch.flatten` does on NCHW, even though activations are NHWC internally.
 */
import type { HeadSpec } from './heads';
import type { AvgPoolLayer, Layer, MaxPoolLayer } from './layers/index';

/** `avgpool` or `maxpool`. */
export type PoolLayer = AvgPoolLayer | MaxPoolLayer;

/** A network's architecture as plain JSON: format version, optional name, input shape and the list of layers. One spec serves every net of a zoo; the parameters live apart. */
export interface NetSpec {
  /** Spec format version. Currently 1. */
  version?: 1;
  /** Human-readable name, e.g. 'homework-cnn'. */
  name?: string;
  /**
   * Shape of one input example, without the batch axis:
   * [H, W, C] for images (NHWC), [D] for vectors, [T, D] for sequences.
   */
  input: number[];
  layers: Layer[];
  /**
   * Named heads of a multi-head net: consecutive slices of the last dense
   * layer's outputs (see heads.ts). Absent: one head, as every spec before.
   */
  heads?: HeadSpec[];
}

/** Kind of a parameter tensor, as seen by the parameter graph. */
export type ParamKind = 'weight' | 'bias' | 'gamma' | 'beta';

/** Kind of a non-trainable buffer. */
export type BufferKind = 'running_mean' | 'running_var';

/** One parameter tensor of a spec, in the order `params` lists them. */
export interface ParamInfo {
  /** PyTorch-style name, e.g. 'layers.0.weight', 'layers.4.conv1.weight', 'layers.4.downsample.1.bias'. */
  name: string;
  /** PyTorch layout (see module doc). */
  shape: number[];
  kind: ParamKind;
  /** Index of the top-level layer in `spec.layers` that owns it. */
  layerIndex: number;
}

/** A non-trainable buffer (BN running statistics), kept outside the parameter graph. */
export interface BufferInfo {
  name: string;
  shape: number[];
  kind: BufferKind;
  layerIndex: number;
}
