/** Shape inference: each layer's output shape, from its definition, checked as it goes. */
import { InvalidSpecError } from './errors';
import type { ShapeCheck } from './layer-definition';
import { layerDefinition, type Layer } from './layers/index';
import type { NetSpec } from './types';

/** Largest accepted number of elements in one example's activation (keeps every index in int32). */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** Shape checks whose errors name `layers[i] (type)`. */
function shapeCheck(i: number, type: string): ShapeCheck {
  const fail = (msg: string): never => {
    throw new InvalidSpecError(`layers[${i}] (${type}) ${msg}; fix the spec`);
  };
  return {
    fail,
    rank(shape, ranks) {
      if (!ranks.includes(shape.length)) {
        const want = ranks.map((r) => (r === 3 ? '[H, W, C]' : r === 2 ? '[T, D]' : '[D]')).join(' or ');
        fail(`needs an input of shape ${want}, got [${shape.join(', ')}]`);
      }
    },
    size(shape) {
      let n = 1;
      for (const d of shape) {
        if (d < 1) fail(`gives an empty output shape [${shape.join(', ')}] (input too small)`);
        n *= d;
      }
      if (n > MAX_ELEMENTS) fail(`gives ${n} elements per example, more than ${MAX_ELEMENTS}`);
      return shape;
    },
  };
}

/** Output shape (without batch axis) of one layer given its input shape. */
export function layerOutputShape(layer: Layer, shape: number[], i = 0): number[] {
  return layerDefinition(layer).outputShape(layer, shape, shapeCheck(i, layer.type));
}

/**
 * Output shape of every layer (without the batch axis): `shapes[i]` is the
 * output of `spec.layers[i]`. Throws InvalidSpecError when layers do not fit.
 */
export function inferShapes(spec: NetSpec): number[][] {
  let shape = shapeCheck(-1, 'flatten').size([...spec.input]);
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
