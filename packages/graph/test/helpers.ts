import { paramInfos, type NetSpec } from '@metanet/spec';

/** Deterministic pseudo-random Float32 weights (mulberry32), no tfjs. */
export function seededParams(spec: NetSpec, seed = 1): Float32Array[] {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return paramInfos(spec).map((info) => {
    const n = info.shape.reduce((a, b) => a * b, 1);
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = next() * 2 - 1;
    return a;
  });
}

export function sameBytes(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Float32 weights from random 32-bit patterns: NaNs with payloads, ±Infinity, −0 and subnormals included. */
export function randomBitParams(spec: NetSpec, seed: number): Float32Array[] {
  let s = seed >>> 0;
  return paramInfos(spec).map((info) => {
    const n = info.shape.reduce((a, b) => a * b, 1);
    const bits = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      // xorshift32: cheap, full 32-bit words
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      bits[i] = s >>> 0;
    }
    return new Float32Array(bits.buffer);
  });
}

/** Specs covering every encoding the graph has, small enough for unit tests. */
export const COVERAGE_SPECS: Record<string, NetSpec> = {
  mlpBnLn: {
    input: [5],
    layers: [
      { type: 'dense', units: 4 },
      { type: 'batchnorm' },
      { type: 'activation', fn: 'relu' },
      { type: 'dense', units: 3, bias: false },
      { type: 'layernorm' },
      { type: 'dropout', rate: 0.1 },
      { type: 'dense', units: 2 },
    ],
  },
  pixelMlp: { input: [3, 4, 2], layers: [{ type: 'flatten' }, { type: 'dense', units: 3 }, { type: 'activation', fn: 'tanh' }, { type: 'dense', units: 2 }] },
  convFlatten: {
    input: [6, 5, 2],
    layers: [
      { type: 'conv2d', filters: 3, kernel: [3, 2], padding: 'valid' },
      { type: 'batchnorm' },
      { type: 'maxpool', size: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 4 },
    ],
  },
  resnet: {
    input: [6, 6, 2],
    layers: [
      { type: 'conv2d', filters: 3, kernel: 3, padding: 1, bias: false },
      { type: 'batchnorm' },
      { type: 'residual', filters: 3 },
      { type: 'residual', filters: 4, stride: 2 },
      { type: 'residual', filters: 4, shortcut: 'conv1x1' },
      { type: 'globalavgpool' },
      { type: 'dense', units: 3 },
    ],
  },
  attention: {
    input: [5, 6],
    layers: [
      { type: 'attention', heads: 3 },
      { type: 'layernorm' },
      { type: 'dense', units: 4 },
      { type: 'flatten' },
      { type: 'dense', units: 2 },
    ],
  },
  groupNorm: {
    input: [5, 5, 2],
    layers: [
      { type: 'conv2d', filters: 4, kernel: 3, padding: 1 },
      { type: 'groupnorm', groups: 2 },
      { type: 'activation', fn: 'relu' },
      { type: 'conv2d', filters: 2, kernel: 3, stride: 2 },
      { type: 'flatten' },
      { type: 'groupnorm', groups: 2, eps: 1e-3 },
      { type: 'dense', units: 3 },
    ],
  },
  attentionNoBias: { input: [3, 4], layers: [{ type: 'attention', heads: 2, bias: false }, { type: 'flatten' }, { type: 'dense', units: 2 }] },
};
