/**
 * 2-D convolution on [H, W, C] maps, as torch.nn.Conv2d: weight (out, in, kh, kw), bias (out).
 * Kernel positions become parallel edges in the parameter graph.
 */
import { InvalidSpecError } from '../errors';
import { MAX_DIM, optBool, pair, posInt, short } from '../fields';
import { last, noTensors, streamOf, type LayerDefinition } from '../layer-definition';

/** A 2-D convolution (PyTorch `nn.Conv2d`), square kernel. */
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

/** Kernel, stride and padding of a conv2d layer with defaults resolved. */
export interface ConvGeometry {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  /** 'same' (TF semantics: out = ceil(in / stride)) or symmetric zero padding (PyTorch semantics). */
  padding: 'same' | number;
}

/** The kernel, stride and padding of a conv layer, with defaults filled in. */
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

export const conv2d: LayerDefinition<Conv2dLayer> = {
  type: 'conv2d',
  mixesNeurons: true,
  validate(raw, w) {
    const kernel = pair(raw.kernel, `${w}.kernel`);
    const l: Conv2dLayer = { type: 'conv2d', filters: posInt(raw.filters, `${w}.filters`), kernel: kernel[0] === kernel[1] ? kernel[0] : kernel };
    if (raw.stride !== undefined) {
      const s = pair(raw.stride, `${w}.stride`, 1);
      l.stride = s[0] === s[1] ? s[0] : s;
    }
    if (raw.padding !== undefined) {
      const p = raw.padding;
      if (p === 'same' || p === 'valid') l.padding = p;
      else if (typeof p === 'number' && Number.isInteger(p) && p >= 0 && p <= MAX_DIM) l.padding = p;
      else throw new InvalidSpecError(`${w}.padding must be 'same', 'valid' or an integer ≥ 0, got ${short(p)}; fix the spec`);
    }
    const bias = optBool(raw.bias, `${w}.bias`);
    if (bias !== undefined) l.bias = bias;
    return l;
  },
  outputShape(layer, shape, check) {
    check.rank(shape, [3]);
    const g = convGeometry(layer);
    const [h, w] = shape as [number, number, number];
    return check.size([convOutSize(h, g.kh, g.sh, g.padding), convOutSize(w, g.kw, g.sw, g.padding), layer.filters]);
  },
  params(layer, input) {
    const { kh, kw } = convGeometry(layer);
    return [
      { name: 'weight', shape: [layer.filters, last(input), kh, kw], kind: 'weight' },
      ...(layer.bias === false ? [] : [{ name: 'bias', shape: [layer.filters], kind: 'bias' as const }]),
    ];
  },
  buffers: noTensors,
  permute(layer, step) {
    step.consume(`${step.prefix}.weight`);
    const g = step.output(step.prefix, layer.filters);
    if (g) {
      step.rows(`${step.prefix}.weight`, g);
      if (layer.bias !== false) step.rows(`${step.prefix}.bias`, g);
    }
    return streamOf(g);
  },
};
