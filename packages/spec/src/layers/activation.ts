/** Element-wise activation; parameter-free, so every neuron keeps its identity. */
import { UnsupportedLayerError } from '../errors';
import { optNum, short } from '../fields';
import { keepStream, noTensors, type LayerDefinition } from '../layer-definition';

/** The activation functions a spec may name. */
export type ActivationFn = 'relu' | 'tanh' | 'gelu' | 'sigmoid' | 'leaky_relu';

/** Every activation function, in `ActivationFn` order. */
export const ACTIVATION_FNS: readonly ActivationFn[] = ['relu', 'tanh', 'gelu', 'sigmoid', 'leaky_relu'];

/** An elementwise activation (no parameters). */
export interface ActivationLayer {
  type: 'activation';
  fn: ActivationFn;
  /** Negative slope for leaky_relu. Default 0.01. */
  alpha?: number;
}

export const activation: LayerDefinition<ActivationLayer> = {
  type: 'activation',
  mixesNeurons: false,
  validate(raw, w) {
    const fn = raw.fn;
    if (typeof fn !== 'string' || !(ACTIVATION_FNS as readonly string[]).includes(fn)) {
      throw new UnsupportedLayerError(`${w}.fn ${short(fn)} is not supported; supported: ${ACTIVATION_FNS.join(', ')}`);
    }
    const l: ActivationLayer = { type: 'activation', fn: fn as ActivationFn };
    const alpha = optNum(raw.alpha, `${w}.alpha`, -1e6, 1e6);
    if (alpha !== undefined) l.alpha = alpha;
    return l;
  },
  outputShape: (_layer, shape) => shape,
  params: noTensors,
  buffers: noTensors,
  permute: keepStream,
};
