import { InvalidSpecError, UnsupportedLayerError } from './errors';
import { inferShapes } from './shapes';
import { LAYER_TYPES, type ActivationFn, type Layer, type NetSpec } from './types';

const ACTIVATIONS: readonly ActivationFn[] = ['relu', 'tanh', 'gelu', 'sigmoid', 'leaky_relu'];

/** Largest accepted dimension or layer width; far above any real classifier, far below overflow. */
export const MAX_DIM = 1 << 20;
/** Largest accepted number of layers in one spec. */
export const MAX_LAYERS = 10_000;
/** Largest accepted spec JSON text, in characters. */
export const MAX_SPEC_CHARS = 16 << 20;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function where(i: number, type: string): string {
  return `layers[${i}] (${type})`;
}

function posInt(v: unknown, what: string, max = MAX_DIM): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) {
    throw new InvalidSpecError(`${what} must be an integer in [1, ${max}], got ${short(v)}; fix the spec`);
  }
  return v;
}

/** A positive int or [h, w] pair; `dflt` undefined makes the field required. */
function pair(v: unknown, what: string, dflt?: number): [number, number] {
  if (v === undefined) {
    if (dflt === undefined) throw new InvalidSpecError(`${what} is required (an integer or [h, w]); fix the spec`);
    return [dflt, dflt];
  }
  if (Array.isArray(v) && v.length === 2) return [posInt(v[0], what), posInt(v[1], what)];
  const n = posInt(v, what);
  return [n, n];
}

function optBool(v: unknown, what: string): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new InvalidSpecError(`${what} must be a boolean, got ${short(v)}; fix the spec`);
  return v;
}

function optNum(v: unknown, what: string, lo: number, hi: number, loOpen = false): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v > hi || (loOpen ? v <= lo : v < lo)) {
    throw new InvalidSpecError(`${what} must be a number in ${loOpen ? '(' : '['}${lo}, ${hi}], got ${short(v)}; fix the spec`);
  }
  return v;
}

function short(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'an array' : isObj(v) ? 'an object' : String(v);
  } catch {
    s = typeof v;
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function validateLayer(raw: unknown, i: number): Layer {
  if (!isObj(raw)) throw new InvalidSpecError(`layers[${i}] must be an object with a "type" field; fix the spec`);
  const type = raw.type;
  if (typeof type !== 'string' || !(LAYER_TYPES as readonly string[]).includes(type)) {
    throw new UnsupportedLayerError(
      `layers[${i}] has unsupported type ${short(type)}; supported: ${LAYER_TYPES.join(', ')}`,
    );
  }
  const w = where(i, type);
  switch (type) {
    case 'dense': {
      const l: Layer = { type, units: posInt(raw.units, `${w}.units`) };
      const bias = optBool(raw.bias, `${w}.bias`);
      if (bias !== undefined) l.bias = bias;
      return l;
    }
    case 'conv2d': {
      const kernel = pair(raw.kernel, `${w}.kernel`);
      const l: Layer = { type, filters: posInt(raw.filters, `${w}.filters`), kernel: kernel[0] === kernel[1] ? kernel[0] : kernel };
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
    }
    case 'batchnorm': {
      const l: Layer = { type };
      const eps = optNum(raw.eps, `${w}.eps`, 0, 1, true);
      const momentum = optNum(raw.momentum, `${w}.momentum`, 0, 1);
      if (eps !== undefined) l.eps = eps;
      if (momentum !== undefined) l.momentum = momentum;
      return l;
    }
    case 'layernorm': {
      const l: Layer = { type };
      const eps = optNum(raw.eps, `${w}.eps`, 0, 1, true);
      if (eps !== undefined) l.eps = eps;
      return l;
    }
    case 'activation': {
      const fn = raw.fn;
      if (typeof fn !== 'string' || !(ACTIVATIONS as readonly string[]).includes(fn)) {
        throw new UnsupportedLayerError(`${w}.fn ${short(fn)} is not supported; supported: ${ACTIVATIONS.join(', ')}`);
      }
      const l: Layer = { type, fn: fn as ActivationFn };
      const alpha = optNum(raw.alpha, `${w}.alpha`, -1e6, 1e6);
      if (alpha !== undefined) l.alpha = alpha;
      return l;
    }
    case 'avgpool':
    case 'maxpool': {
      const l: Layer = { type, size: posInt(raw.size, `${w}.size`) };
      if (raw.stride !== undefined) l.stride = posInt(raw.stride, `${w}.stride`);
      return l;
    }
    case 'globalavgpool':
    case 'flatten':
      return { type };
    case 'dropout': {
      const rate = optNum(raw.rate, `${w}.rate`, 0, 1);
      if (rate === undefined || rate >= 1) {
        throw new InvalidSpecError(`${w}.rate must be a number in [0, 1), got ${short(raw.rate)}; fix the spec`);
      }
      return { type, rate };
    }
    case 'residual': {
      const l: Layer = { type, filters: posInt(raw.filters, `${w}.filters`) };
      if (raw.stride !== undefined) l.stride = posInt(raw.stride, `${w}.stride`);
      if (raw.shortcut !== undefined) {
        const s = raw.shortcut;
        if (s !== 'auto' && s !== 'identity' && s !== 'conv1x1') {
          throw new InvalidSpecError(`${w}.shortcut must be 'auto', 'identity' or 'conv1x1', got ${short(s)}; fix the spec`);
        }
        l.shortcut = s;
      }
      return l;
    }
    case 'attention': {
      const l: Layer = { type, heads: posInt(raw.heads, `${w}.heads`) };
      const bias = optBool(raw.bias, `${w}.bias`);
      if (bias !== undefined) l.bias = bias;
      return l;
    }
    default:
      throw new UnsupportedLayerError(`layers[${i}] has unsupported type ${short(type)}; supported: ${LAYER_TYPES.join(', ')}`);
  }
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
  inferShapes(out);
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
