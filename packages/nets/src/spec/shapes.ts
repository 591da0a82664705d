import { InvalidSpecError } from './errors';
import type { Conv2dLayer, Layer, NetSpec, ResidualBlockLayer } from './types';

/** Largest accepted number of elements in one example's activation (keeps every index in int32). */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** Kernel, stride and padding of a conv2d layer with defaults resolved. */
export interface ConvGeometry {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  /** 'same' (TF semantics: out = ceil(in / stride)) or symmetric zero padding (PyTorch semantics). */
  padding: 'same' | number;
}

export function convGeometry(layer: Conv2dLayer): ConvGeometry {
  const [kh, kw] = typeof layer.kernel === 'number' ? [layer.kernel, layer.kernel] : layer.kernel;
  const s = layer.stride ?? 1;
  const [sh, sw] = typeof s === 'number' ? [s, s] : s;
  const p = layer.padding ?? 'valid';
  return { kh, kw, sh, sw, padding: p === 'valid' ? 0 : p };
}

/** Output length of a conv/pool along one axis; 0 or less means the input is too small. */
export function convOutSize(n: number, k: number, s: number, padding: 'same' | number): number {
  if (padding === 'same') return Math.ceil(n / s);
  return Math.floor((n + 2 * padding - k) / s) + 1;
}

/** Residual block geometry: stride and whether the shortcut is a 1×1 projection. */
export function residualGeometry(layer: ResidualBlockLayer, inChannels: number): { stride: number; projection: boolean } {
  const stride = layer.stride ?? 1;
  const mode = layer.shortcut ?? 'auto';
  const matches = stride === 1 && inChannels === layer.filters;
  return { stride, projection: mode === 'conv1x1' || (mode === 'auto' && !matches) };
}

function fail(i: number, layer: Layer, msg: string): never {
  throw new InvalidSpecError(`layers[${i}] (${layer.type}) ${msg}; fix the spec`);
}

function checkSize(i: number, layer: Layer, shape: number[]): number[] {
  let n = 1;
  for (const d of shape) {
    if (d < 1) fail(i, layer, `gives an empty output shape [${shape.join(', ')}] (input too small)`);
    n *= d;
  }
  if (n > MAX_ELEMENTS) fail(i, layer, `gives ${n} elements per example, more than ${MAX_ELEMENTS}`);
  return shape;
}

function needRank(i: number, layer: Layer, shape: number[], ranks: number[]): void {
  if (!ranks.includes(shape.length)) {
    const want = ranks.map((r) => (r === 3 ? '[H, W, C]' : r === 2 ? '[T, D]' : '[D]')).join(' or ');
    fail(i, layer, `needs an input of shape ${want}, got [${shape.join(', ')}]`);
  }
}

/** Output shape (without batch axis) of one layer given its input shape. */
export function layerOutputShape(layer: Layer, shape: number[], i = 0): number[] {
  switch (layer.type) {
    case 'dense':
      needRank(i, layer, shape, [1, 2, 3]);
      return checkSize(i, layer, [...shape.slice(0, -1), layer.units]);
    case 'conv2d': {
      needRank(i, layer, shape, [3]);
      const g = convGeometry(layer);
      const [h, w] = shape as [number, number, number];
      return checkSize(i, layer, [convOutSize(h, g.kh, g.sh, g.padding), convOutSize(w, g.kw, g.sw, g.padding), layer.filters]);
    }
    case 'batchnorm':
      needRank(i, layer, shape, [1, 3]);
      return shape;
    case 'avgpool':
    case 'maxpool': {
      needRank(i, layer, shape, [3]);
      const s = layer.stride ?? layer.size;
      const [h, w, c] = shape as [number, number, number];
      return checkSize(i, layer, [convOutSize(h, layer.size, s, 0), convOutSize(w, layer.size, s, 0), c]);
    }
    case 'globalavgpool':
      needRank(i, layer, shape, [3]);
      return [shape[2] as number];
    case 'flatten':
      return [shape.reduce((a, b) => a * b, 1)];
    case 'residual': {
      needRank(i, layer, shape, [3]);
      const [h, w, c] = shape as [number, number, number];
      const { stride, projection } = residualGeometry(layer, c);
      if (!projection && (stride !== 1 || c !== layer.filters)) {
        fail(i, layer, `has an identity shortcut but maps ${c} channels stride ${stride} to ${layer.filters}; use shortcut 'auto' or 'conv1x1'`);
      }
      return checkSize(i, layer, [convOutSize(h, 3, stride, 1), convOutSize(w, 3, stride, 1), layer.filters]);
    }
    case 'attention': {
      needRank(i, layer, shape, [2]);
      const d = shape[1] as number;
      if (d % layer.heads !== 0) fail(i, layer, `has ${layer.heads} heads that do not divide the model width ${d}`);
      return shape;
    }
    case 'layernorm':
    case 'activation':
    case 'dropout':
      return shape;
  }
}

/**
 * Output shape of every layer (without the batch axis): `shapes[i]` is the
 * output of `spec.layers[i]`. Throws InvalidSpecError when layers do not fit.
 */
export function inferShapes(spec: NetSpec): number[][] {
  let shape = checkSize(-1, { type: 'flatten' }, [...spec.input]);
  return spec.layers.map((layer, i) => {
    shape = layerOutputShape(layer, shape, i);
    return shape;
  });
}

/** Input shape of every layer: `inputs[i]` feeds `spec.layers[i]`; the last entry is the network output. */
export function layerInputShapes(spec: NetSpec): number[][] {
  return [[...spec.input], ...inferShapes(spec)];
}

/** Shape of one output example. */
export function outputShape(spec: NetSpec): number[] {
  const shapes = inferShapes(spec);
  return shapes.length ? (shapes[shapes.length - 1] as number[]) : [...spec.input];
}
