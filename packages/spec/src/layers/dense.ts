/** Fully connected layer, as torch.nn.Linear: weight (out, in), bias (out); applied to the last axis. */
import { optBool, posInt } from '../fields';
import { last, noTensors, streamOf, type LayerDefinition } from '../layer-definition';

/** A fully connected layer (PyTorch `nn.Linear`). */
export interface DenseLayer {
  type: 'dense';
  units: number;
  /** Default true. */
  bias?: boolean;
}

export const dense: LayerDefinition<DenseLayer> = {
  type: 'dense',
  mixesNeurons: true,
  validate(raw, w) {
    const l: DenseLayer = { type: 'dense', units: posInt(raw.units, `${w}.units`) };
    const bias = optBool(raw.bias, `${w}.bias`);
    if (bias !== undefined) l.bias = bias;
    return l;
  },
  outputShape(layer, shape, check) {
    check.rank(shape, [1, 2, 3]);
    return check.size([...shape.slice(0, -1), layer.units]);
  },
  params: (layer, input) => [
    { name: 'weight', shape: [layer.units, last(input)], kind: 'weight' },
    ...(layer.bias === false ? [] : [{ name: 'bias', shape: [layer.units], kind: 'bias' as const }]),
  ],
  buffers: noTensors,
  permute(layer, step) {
    step.consume(`${step.prefix}.weight`);
    const g = step.output(step.prefix, layer.units);
    if (g) {
      step.rows(`${step.prefix}.weight`, g);
      if (layer.bias !== false) step.rows(`${step.prefix}.bias`, g);
    }
    return streamOf(g);
  },
};
