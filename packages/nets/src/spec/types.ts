/**
 * NetSpec: a network's architecture as plain JSON-serialisable data.
 *
 * This module is tfjs-free on purpose: @metanet/graph and the docs' browser
 * explorer import it through the `@metanet/nets/spec` subpath.
 *
 * Tensor layout follows PyTorch, so that weights exported from PyTorch load
 * without reshuffling:
 * - dense weight: (out, in); bias: (out)
 * - conv2d weight: (out, in, kh, kw); bias: (out)
 * - batchnorm / layernorm: weight = γ (C), bias = β (C); running_mean and
 *   running_var are buffers (C), not parameters.
 * - flatten: a conv feature map is flattened in (C, H, W) order, as
 *   `torch.flatten` does on NCHW, even though activations are NHWC internally.
 */

export type ActivationFn = 'relu' | 'tanh' | 'gelu' | 'sigmoid' | 'leaky_relu';

export interface DenseLayer {
  type: 'dense';
  units: number;
  /** Default true. */
  bias?: boolean;
}

export interface Conv2dLayer {
  type: 'conv2d';
  filters: number;
  /** Square size or [kh, kw]. */
  kernel: number | [number, number];
  /** Default 1. */
  stride?: number | [number, number];
  /** 'same', 'valid' or an explicit symmetric zero padding. Default 'valid' (0). */
  padding?: 'same' | 'valid' | number;
  /** Default true. */
  bias?: boolean;
}

export interface BatchNormLayer {
  type: 'batchnorm';
  /** Default 1e-5 (PyTorch). */
  eps?: number;
  /** PyTorch convention: running = (1 - momentum) * running + momentum * batch. Default 0.1. */
  momentum?: number;
}

export interface LayerNormLayer {
  type: 'layernorm';
  /** Default 1e-5. Normalises over the last (feature/channel) axis. */
  eps?: number;
}

export interface ActivationLayer {
  type: 'activation';
  fn: ActivationFn;
  /** Negative slope for leaky_relu. Default 0.01. */
  alpha?: number;
}

export interface PoolLayer {
  type: 'avgpool' | 'maxpool';
  size: number;
  /** Default = size. */
  stride?: number;
}

export interface GlobalAvgPoolLayer {
  type: 'globalavgpool';
}

export interface FlattenLayer {
  type: 'flatten';
}

export interface DropoutLayer {
  type: 'dropout';
  rate: number;
}

/**
 * ResNet BasicBlock: conv3x3(stride)-BN-ReLU-conv3x3-BN, plus a shortcut, then ReLU.
 * The shortcut is the identity when shapes match, otherwise a 1×1 conv (stride) + BN
 * (PyTorch's `downsample`). `shortcut: 'conv1x1'` forces the projection.
 * Convs inside the block have no bias (as in torchvision).
 */
export interface ResidualBlockLayer {
  type: 'residual';
  filters: number;
  /** Default 1. */
  stride?: number;
  /** Default 'auto'. */
  shortcut?: 'auto' | 'identity' | 'conv1x1';
}

/**
 * Multi-head self-attention over a sequence input (T, D), as torch.nn.MultiheadAttention
 * with separate projections: q_proj, k_proj, v_proj, out_proj (each (D, D) weight + (D) bias).
 */
export interface AttentionLayer {
  type: 'attention';
  heads: number;
  /** Default true. */
  bias?: boolean;
}

export type Layer =
  | DenseLayer
  | Conv2dLayer
  | BatchNormLayer
  | LayerNormLayer
  | ActivationLayer
  | PoolLayer
  | GlobalAvgPoolLayer
  | FlattenLayer
  | DropoutLayer
  | ResidualBlockLayer
  | AttentionLayer;

export type LayerType = Layer['type'];

export const LAYER_TYPES: readonly LayerType[] = [
  'dense',
  'conv2d',
  'batchnorm',
  'layernorm',
  'activation',
  'avgpool',
  'maxpool',
  'globalavgpool',
  'flatten',
  'dropout',
  'residual',
  'attention',
] as const;

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
}

/** Kind of a parameter tensor, as seen by the parameter graph. */
export type ParamKind = 'weight' | 'bias' | 'gamma' | 'beta';

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
  kind: 'running_mean' | 'running_var';
  layerIndex: number;
}
