import { layerInputShapes, residualGeometry } from './shapes';
import type { BufferInfo, Layer, NetSpec, ParamInfo } from './types';

function last(shape: number[]): number {
  return shape[shape.length - 1] as number;
}

function layerParams(layer: Layer, inShape: number[], i: number): ParamInfo[] {
  const p = (suffix: string, shape: number[], kind: ParamInfo['kind']): ParamInfo => ({
    name: `layers.${i}.${suffix}`,
    shape,
    kind,
    layerIndex: i,
  });
  const c = last(inShape);
  switch (layer.type) {
    case 'dense':
      return [p('weight', [layer.units, c], 'weight'), ...(layer.bias === false ? [] : [p('bias', [layer.units], 'bias')])];
    case 'conv2d': {
      const [kh, kw] = typeof layer.kernel === 'number' ? [layer.kernel, layer.kernel] : layer.kernel;
      return [
        p('weight', [layer.filters, c, kh, kw], 'weight'),
        ...(layer.bias === false ? [] : [p('bias', [layer.filters], 'bias')]),
      ];
    }
    case 'batchnorm':
    case 'layernorm':
      return [p('weight', [c], 'gamma'), p('bias', [c], 'beta')];
    case 'residual': {
      const f = layer.filters;
      const out = [
        p('conv1.weight', [f, c, 3, 3], 'weight'),
        p('bn1.weight', [f], 'gamma'),
        p('bn1.bias', [f], 'beta'),
        p('conv2.weight', [f, f, 3, 3], 'weight'),
        p('bn2.weight', [f], 'gamma'),
        p('bn2.bias', [f], 'beta'),
      ];
      if (residualGeometry(layer, c).projection) {
        out.push(
          p('downsample.0.weight', [f, c, 1, 1], 'weight'),
          p('downsample.1.weight', [f], 'gamma'),
          p('downsample.1.bias', [f], 'beta'),
        );
      }
      return out;
    }
    case 'attention': {
      const out: ParamInfo[] = [];
      for (const proj of ['q_proj', 'k_proj', 'v_proj', 'out_proj']) {
        out.push(p(`${proj}.weight`, [c, c], 'weight'));
        if (layer.bias !== false) out.push(p(`${proj}.bias`, [c], 'bias'));
      }
      return out;
    }
    default:
      return [];
  }
}

/**
 * Every parameter tensor of the spec, in the order `params` lists them, with
 * PyTorch names (`layers.{i}.weight`, `layers.{i}.conv1.weight`, ...) and layouts
 * (dense (out, in), conv (out, in, kh, kw), norm γ/β (C)).
 */
export function paramInfos(spec: NetSpec): ParamInfo[] {
  const inputs = layerInputShapes(spec);
  return spec.layers.flatMap((layer, i) => layerParams(layer, inputs[i] as number[], i));
}

/** BN running statistics (mean then var, per BN in order), named as PyTorch's state_dict does. */
export function bufferInfos(spec: NetSpec): BufferInfo[] {
  const inputs = layerInputShapes(spec);
  const out: BufferInfo[] = [];
  const bn = (prefix: string, c: number, i: number): void => {
    out.push({ name: `${prefix}.running_mean`, shape: [c], kind: 'running_mean', layerIndex: i });
    out.push({ name: `${prefix}.running_var`, shape: [c], kind: 'running_var', layerIndex: i });
  };
  spec.layers.forEach((layer, i) => {
    const c = last(inputs[i] as number[]);
    if (layer.type === 'batchnorm') bn(`layers.${i}`, c, i);
    if (layer.type === 'residual') {
      bn(`layers.${i}.bn1`, layer.filters, i);
      bn(`layers.${i}.bn2`, layer.filters, i);
      if (residualGeometry(layer, c).projection) bn(`layers.${i}.downsample.1`, layer.filters, i);
    }
  });
  return out;
}

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Total number of trainable parameters (buffers excluded, as PyTorch counts). */
export function countParams(spec: NetSpec): number {
  return paramInfos(spec).reduce((n, info) => n + sizeOf(info.shape), 0);
}
