/**
 * Pixel normalisation. Readers produce bytes in [0, 255]; datasets hold
 * float32 `((x / 255) - mean[c]) / std[c]` per channel c ("standard"), or
 * `x / 255` ("unit"). The standard constants are the usual per-dataset
 * statistics of the training split, so that inputs are roughly zero-mean,
 * unit-variance, the regime default initialisations assume.
 */
import { InvalidDatasetOptionsError } from './errors';

/** Per-channel mean and standard deviation, for normalising images. */
export interface ChannelStats {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** 'standard' (dataset statistics), 'unit' ([0, 1]), or explicit per-channel statistics. */
export type Normalization = 'standard' | 'unit' | ChannelStats;

/** Training-split statistics of x / 255, per channel. */
export const NORMALIZATION_CONSTANTS = {
  'fashion-mnist': { mean: [0.286], std: [0.353] },
  mnist: { mean: [0.1307], std: [0.3081] },
  // The true per-pixel std of CIFAR-10 train; the widely copied (0.2023, 0.1994, 0.2010) is a mis-computation.
  'cifar-10': { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] },
} as const satisfies Record<string, ChannelStats>;

/** Resolves a `Normalization` to per-channel statistics for `channels` channels. */
export function resolveNormalization(norm: Normalization, standard: ChannelStats, channels: number): ChannelStats {
  const stats: ChannelStats =
    norm === 'standard' ? standard : norm === 'unit' ? { mean: new Array<number>(channels).fill(0), std: new Array<number>(channels).fill(1) } : norm;
  if (stats.mean.length !== channels || stats.std.length !== channels) {
    throw new InvalidDatasetOptionsError(
      `normalisation has ${stats.mean.length} means and ${stats.std.length} stds for ${channels} channel(s); give one of each per channel`,
    );
  }
  if (stats.std.some((s) => !(s > 0) || !Number.isFinite(s)) || stats.mean.some((m) => !Number.isFinite(m))) {
    throw new InvalidDatasetOptionsError('normalisation std must be finite and > 0 and mean finite; fix the mean/std values');
  }
  return stats;
}

/**
 * bytes (N*H*W*C, channels last) → float32 normalised. A 256-entry lookup
 * table per channel keeps this one load and one store per pixel.
 */
export function normalizeBytes(bytes: Uint8Array, stats: ChannelStats): Float32Array {
  const c = stats.mean.length;
  const lut = new Float32Array(256 * c);
  for (let ch = 0; ch < c; ch++) {
    const m = stats.mean[ch] as number;
    const s = stats.std[ch] as number;
    for (let v = 0; v < 256; v++) lut[ch * 256 + v] = (v / 255 - m) / s;
  }
  const out = new Float32Array(bytes.length);
  if (c === 1) {
    for (let i = 0; i < bytes.length; i++) out[i] = lut[bytes[i] as number] as number;
  } else {
    for (let i = 0; i < bytes.length; i++) out[i] = lut[(i % c) * 256 + (bytes[i] as number)] as number;
  }
  return out;
}
