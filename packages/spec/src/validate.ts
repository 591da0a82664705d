/** Validation of untrusted specs: the envelope here, each layer's fields in its own definition. */
import { InvalidSpecError, UnsupportedLayerError } from './errors';
import { isObj, posInt, short } from './fields';
import { findLayerDefinition, LAYER_TYPES, type Layer } from './layers/index';
import { validateHeads } from './heads';
import { inferShapes } from './shapes';
import type { NetSpec } from './types';

export { MAX_DIM } from './fields';
/** Largest accepted number of layers in one spec. */
export const MAX_LAYERS = 10_000;
/** Largest accepted spec JSON text, in characters. */
export const MAX_SPEC_CHARS = 16 << 20;

function validateLayer(raw: unknown, i: number): Layer {
  if (!isObj(raw)) throw new InvalidSpecError(`layers[${i}] must be an object with a "type" field; fix the spec`);
  const type = raw.type;
  const def = typeof type === 'string' ? findLayerDefinition(type) : undefined;
  if (!def) {
    throw new UnsupportedLayerError(`layers[${i}] has unsupported type ${short(type)}; supported: ${LAYER_TYPES.join(', ')}`);
  }
  return def.validate(raw, `layers[${i}] (${type as string})`);
}

/**
 * Checks an untrusted value is a well-formed NetSpec whose layers fit together,
 * and returns a normalised copy holding only the known fields.
 * Throws InvalidSpecError / UnsupportedLayerError with a one-line message.
 */
export function validateSpec(spec: unknown): NetSpec {
  if (!isObj(spec)) throw new InvalidSpecError('spec must be a JSON object with "input" and "layers"; fix the spec');
  if (spec.version !== undefined && spec.version !== 1) {
    throw new InvalidSpecError(`spec.version ${short(spec.version)} is not supported; this build reads version 1`);
  }
  if (spec.name !== undefined && (typeof spec.name !== 'string' || spec.name.length > 1000)) {
    throw new InvalidSpecError('spec.name must be a string of at most 1000 characters; fix the spec');
  }
  const input = spec.input;
  if (!Array.isArray(input) || input.length < 1 || input.length > 3) {
    throw new InvalidSpecError('spec.input must be [D], [T, D] or [H, W, C]; fix the spec');
  }
  const layers = spec.layers;
  if (!Array.isArray(layers)) throw new InvalidSpecError('spec.layers must be an array of layers; fix the spec');
  if (layers.length > MAX_LAYERS) {
    throw new InvalidSpecError(`spec has ${layers.length} layers, more than the ${MAX_LAYERS} accepted; fix the spec`);
  }
  const out: NetSpec = {
    input: input.map((d, k) => posInt(d, `spec.input[${k}]`)),
    layers: layers.map(validateLayer),
  };
  if (spec.version !== undefined) out.version = 1;
  if (typeof spec.name === 'string') out.name = spec.name;
  // Shape inference doubles as the compatibility check between layers.
  const shapes = inferShapes(out);
  // Added only when given, so a single-head spec serialises as it always did.
  if (spec.heads !== undefined) out.heads = validateHeads(spec.heads, out, shapes[shapes.length - 1] ?? out.input);
  return out;
}

/** Parses and validates spec JSON text; malformed or hostile JSON gives InvalidSpecError. */
export function parseSpec(text: string): NetSpec {
  if (text.length > MAX_SPEC_CHARS) {
    throw new InvalidSpecError(`spec JSON is ${text.length} characters, more than ${MAX_SPEC_CHARS}; is this really a spec?`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // RangeError from pathological nesting lands here too.
    throw new InvalidSpecError(`spec is not valid JSON (${(e as Error).message.split('\n')[0]}); fix the file`);
  }
  return validateSpec(value);
}
