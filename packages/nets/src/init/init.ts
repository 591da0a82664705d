/**
 * Parameter initialisation. Values are drawn on the host from @metanet/tensor's
 * seeded generator, so the same seed gives the same weights on every backend.
 */
import { createRng, tf, type Rng } from '@metanet/tensor';
import { InvalidSpecError, paramInfos, sizeOf, type NetSpec, type ParamInfo } from '@metanet/spec';

/** Initialisation schemes: PyTorch's defaults, He, Xavier, or a plain normal. */
export type InitScheme = 'pytorch' | 'he' | 'xavier' | 'normal';

/** Options of `initParams`: scheme, seed and, for `normal`, the standard deviation. */
export interface InitOptions {
  /**
   * - 'pytorch' (default): torch defaults, kaiming_uniform(a=√5) weights = U(±1/√fan_in), bias U(±1/√fan_in)
   * - 'he': N(0, 2/fan_in) weights, zero bias
   * - 'xavier': U(±√(6/(fan_in+fan_out))) weights, zero bias
   * - 'normal': N(0, std²) weights, zero bias
   * Norm layers always start at γ = 1, β = 0.
   */
  scheme?: InitScheme;
  /** Standard deviation for 'normal'. Default 0.01. */
  std?: number;
  /** Default 0. */
  seed?: number;
}

/** fan_in and fan_out of a weight in PyTorch layout (out, in, ...kernel). */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  const receptive = sizeOf(shape.slice(2));
  return { fanIn: (shape[1] ?? 1) * receptive, fanOut: (shape[0] ?? 1) * receptive };
}

function weightFanIn(infos: ParamInfo[], k: number): number {
  // A bias takes the fan_in of the weight just before it in the same layer (torch does the same).
  for (let j = k - 1; j >= 0; j--) {
    const w = infos[j] as ParamInfo;
    if (w.kind === 'weight' && w.layerIndex === (infos[k] as ParamInfo).layerIndex) return fans(w.shape).fanIn;
  }
  return 1;
}

function fill(size: number, draw: () => number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = draw();
  return out;
}

function values(info: ParamInfo, k: number, infos: ParamInfo[], scheme: InitScheme, std: number, rng: Rng): Float32Array {
  const size = sizeOf(info.shape);
  if (info.kind === 'gamma') return new Float32Array(size).fill(1);
  if (info.kind === 'beta') return new Float32Array(size);
  if (info.kind === 'bias') {
    if (scheme !== 'pytorch') return new Float32Array(size);
    const bound = 1 / Math.sqrt(weightFanIn(infos, k));
    return fill(size, () => (2 * rng.uniform() - 1) * bound);
  }
  const { fanIn, fanOut } = fans(info.shape);
  switch (scheme) {
    case 'pytorch': {
      const bound = 1 / Math.sqrt(fanIn);
      return fill(size, () => (2 * rng.uniform() - 1) * bound);
    }
    case 'he':
      return fill(size, () => rng.normal(0, Math.sqrt(2 / fanIn)));
    case 'xavier': {
      const bound = Math.sqrt(6 / (fanIn + fanOut));
      return fill(size, () => (2 * rng.uniform() - 1) * bound);
    }
    case 'normal':
      return fill(size, () => rng.normal(0, std));
  }
}

/** Host arrays of fresh parameters in `paramInfos(spec)` order. */
export function initParamArrays(spec: NetSpec, opts: InitOptions = {}): Float32Array[] {
  const scheme = opts.scheme ?? 'pytorch';
  if (!['pytorch', 'he', 'xavier', 'normal'].includes(scheme)) {
    throw new InvalidSpecError(`unknown init scheme ${JSON.stringify(scheme)}; use pytorch, he, xavier or normal`);
  }
  const std = opts.std ?? 0.01;
  if (!(std >= 0) || !Number.isFinite(std)) throw new InvalidSpecError(`init std must be a finite number ≥ 0, got ${std}`);
  const rng = createRng(opts.seed ?? 0);
  const infos = paramInfos(spec);
  return infos.map((info, k) => values(info, k, infos, scheme, std, rng));
}

/** Fresh parameters as tensors in `paramInfos(spec)` order (the caller owns and disposes them). */
export function initParams(spec: NetSpec, opts: InitOptions = {}): tf.Tensor[] {
  const infos = paramInfos(spec);
  return initParamArrays(spec, opts).map((v, k) => tf.tensor(v, (infos[k] as ParamInfo).shape, 'float32'));
}
