import { describe, expect, it } from 'vitest';
import { findLayerDefinition, LAYER_TYPES, LAYERS, layerDefinition, UnsupportedLayerError, validateSpec, type Layer, type LayerType } from '../src/index';

/** One valid layer of each type, on an input it fits. */
const SAMPLES: { [T in LayerType]: { input: number[]; layer: Extract<Layer, { type: T }> } } = {
  dense: { input: [4], layer: { type: 'dense', units: 3, bias: false } },
  conv2d: { input: [5, 5, 2], layer: { type: 'conv2d', filters: 3, kernel: [3, 1], stride: 2, padding: 1 } },
  batchnorm: { input: [4], layer: { type: 'batchnorm', eps: 1e-3, momentum: 0.2 } },
  layernorm: { input: [3, 4], layer: { type: 'layernorm', eps: 1e-6 } },
  activation: { input: [4], layer: { type: 'activation', fn: 'leaky_relu', alpha: 0.2 } },
  avgpool: { input: [4, 4, 2], layer: { type: 'avgpool', size: 2, stride: 1 } },
  maxpool: { input: [4, 4, 2], layer: { type: 'maxpool', size: 2 } },
  globalavgpool: { input: [4, 4, 2], layer: { type: 'globalavgpool' } },
  flatten: { input: [4, 4, 2], layer: { type: 'flatten' } },
  dropout: { input: [4], layer: { type: 'dropout', rate: 0.5 } },
  residual: { input: [4, 4, 2], layer: { type: 'residual', filters: 4, stride: 2, shortcut: 'conv1x1' } },
  attention: { input: [3, 4], layer: { type: 'attention', heads: 2, bias: false } },
  groupnorm: { input: [4, 4, 6], layer: { type: 'groupnorm', groups: 3, eps: 1e-4 } },
};

describe('the layer registry', () => {
  it('lists each layer type once, in LAYER_TYPES order', () => {
    expect(LAYERS.map((d) => d.type)).toEqual([...LAYER_TYPES]);
    expect(new Set(LAYER_TYPES).size).toBe(LAYER_TYPES.length);
  });

  it('finds definitions by type, and nothing for other strings (prototype names included)', () => {
    for (const t of LAYER_TYPES) expect(findLayerDefinition(t)?.type).toBe(t);
    for (const t of ['lstm', 'constructor', '__proto__', 'toString']) expect(findLayerDefinition(t)).toBeUndefined();
    expect(() => layerDefinition({ type: 'lstm' } as unknown as Layer)).toThrow(UnsupportedLayerError);
  });

  it('every definition validates its own layers to themselves (every field kept)', () => {
    for (const t of LAYER_TYPES) {
      const { input, layer } = SAMPLES[t];
      expect(validateSpec({ input, layers: [layer] }).layers, t).toEqual([layer]);
    }
  });
});
