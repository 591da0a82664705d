/**
 * ResNet BasicBlock: conv3x3(stride)-BN-ReLU-conv3x3-BN, plus a shortcut, then ReLU.
 * The shortcut is the identity when shapes match, otherwise a 1×1 conv (stride) + BN
 * (PyTorch's `downsample`). Convs inside the block have no bias (as in torchvision).
 */
import { InvalidSpecError } from '../errors';
import { posInt, short } from '../fields';
import { last, streamOf, type LayerDefinition, type LayerTensor, type PermutationStep } from '../layer-definition';
import type { BufferKind } from '../types';
import { convOutSize } from './conv2d';

/** A ResNet BasicBlock: two conv3×3-BN pairs and a skip (a 1×1 conv-BN projection when the shape changes). */
export interface ResidualBlockLayer {
  type: 'residual';
  filters: number;
  /** Default 1. */
  stride?: number;
  /** Default 'auto'. `'conv1x1'` forces the projection. */
  shortcut?: 'auto' | 'identity' | 'conv1x1';
}

/** Residual block geometry: stride and whether the shortcut is a 1×1 projection. */
export function residualGeometry(layer: ResidualBlockLayer, inChannels: number): { stride: number; projection: boolean } {
  const stride = layer.stride ?? 1;
  const mode = layer.shortcut ?? 'auto';
  const matches = stride === 1 && inChannels === layer.filters;
  return { stride, projection: mode === 'conv1x1' || (mode === 'auto' && !matches) };
}

/** The block's batch norms, by module name; `downsample.1` only with a projection. */
function norms(layer: ResidualBlockLayer, input: readonly number[]): string[] {
  return residualGeometry(layer, last(input)).projection ? ['bn1', 'bn2', 'downsample.1'] : ['bn1', 'bn2'];
}

/** γ, β and running statistics of one of the block's batch norms follow `group`. */
function normRows(step: PermutationStep, module: string, group: string): void {
  for (const s of ['weight', 'bias', 'running_mean', 'running_var']) step.rows(`${step.prefix}.${module}.${s}`, group);
}

export const residual: LayerDefinition<ResidualBlockLayer> = {
  type: 'residual',
  mixesNeurons: true,
  validate(raw, w) {
    const l: ResidualBlockLayer = { type: 'residual', filters: posInt(raw.filters, `${w}.filters`) };
    if (raw.stride !== undefined) l.stride = posInt(raw.stride, `${w}.stride`);
    if (raw.shortcut !== undefined) {
      const s = raw.shortcut;
      if (s !== 'auto' && s !== 'identity' && s !== 'conv1x1') {
        throw new InvalidSpecError(`${w}.shortcut must be 'auto', 'identity' or 'conv1x1', got ${short(s)}; fix the spec`);
      }
      l.shortcut = s;
    }
    return l;
  },
  outputShape(layer, shape, check) {
    check.rank(shape, [3]);
    const [h, w, c] = shape as [number, number, number];
    const { stride, projection } = residualGeometry(layer, c);
    if (!projection && (stride !== 1 || c !== layer.filters)) {
      check.fail(`has an identity shortcut but maps ${c} channels stride ${stride} to ${layer.filters}; use shortcut 'auto' or 'conv1x1'`);
    }
    return check.size([convOutSize(h, 3, stride, 1), convOutSize(w, 3, stride, 1), layer.filters]);
  },
  params(layer, input) {
    const f = layer.filters;
    const c = last(input);
    const out: LayerTensor<'weight' | 'gamma' | 'beta'>[] = [
      { name: 'conv1.weight', shape: [f, c, 3, 3], kind: 'weight' },
      { name: 'bn1.weight', shape: [f], kind: 'gamma' },
      { name: 'bn1.bias', shape: [f], kind: 'beta' },
      { name: 'conv2.weight', shape: [f, f, 3, 3], kind: 'weight' },
      { name: 'bn2.weight', shape: [f], kind: 'gamma' },
      { name: 'bn2.bias', shape: [f], kind: 'beta' },
    ];
    if (residualGeometry(layer, c).projection) {
      out.push(
        { name: 'downsample.0.weight', shape: [f, c, 1, 1], kind: 'weight' },
        { name: 'downsample.1.weight', shape: [f], kind: 'gamma' },
        { name: 'downsample.1.bias', shape: [f], kind: 'beta' },
      );
    }
    return out;
  },
  buffers: (layer, input) =>
    norms(layer, input).flatMap((m): LayerTensor<BufferKind>[] => [
      { name: `${m}.running_mean`, shape: [layer.filters], kind: 'running_mean' },
      { name: `${m}.running_var`, shape: [layer.filters], kind: 'running_var' },
    ]),
  permute(layer, step) {
    const pre = step.prefix;
    const { projection } = residualGeometry(layer, step.input[2] as number);
    const inner = step.internal(`${pre}.inner`, layer.filters);
    step.consume(`${pre}.conv1.weight`);
    step.rows(`${pre}.conv1.weight`, inner);
    normRows(step, 'bn1', inner);
    step.columns(`${pre}.conv2.weight`, inner);
    let out: string | null;
    if (projection) {
      step.consume(`${pre}.downsample.0.weight`);
      out = step.output(pre, layer.filters);
      if (out) {
        step.rows(`${pre}.downsample.0.weight`, out);
        normRows(step, 'downsample.1', out);
      }
    } else {
      // An identity block keeps its input's group: the residual stream is one group across blocks.
      out = step.stream ? step.stream.group : null;
    }
    if (out) {
      step.rows(`${pre}.conv2.weight`, out);
      normRows(step, 'bn2', out);
    }
    return streamOf(out);
  },
};
