/**
 * Synthetic shapes: the embedded default dataset for demos and unit tests.
 *
 * Each image is one procedurally drawn shape (10 kinds) with random position,
 * scale, stroke thickness, small rotation, contrast, background level and
 * pixel noise. Shapes are rendered from signed distance functions with a
 * one-pixel anti-aliased edge, so they look like drawings, not bitmaps.
 *
 * Deterministic by seed, and sample i depends only on (seed, i): the first k
 * samples of a dataset of size n equal a dataset of size k. Labels are
 * balanced: every block of `classes` consecutive samples holds each class once.
 */
import { createDataset } from './dataset';
import { InvalidDatasetOptionsError } from './errors';
import { type Normalization, resolveNormalization, type ChannelStats } from './normalization';
import { createRng } from '@metanet/tensor';
import type { Dataset } from './types';

/** The class names of the synthetic shapes dataset, in label order. */
export const SYNTHETIC_SHAPE_NAMES = [
  'disc',
  'ring',
  'square',
  'square-outline',
  'triangle',
  'plus',
  'x-cross',
  'horizontal-bars',
  'vertical-bars',
  'diamond-outline',
] as const;

/**
 * Statistics of unit-scaled pixels over syntheticShapes({ n: 10000, seed: 0 }),
 * used by 'standard' normalisation.
 */
export const SYNTHETIC_STATS: ChannelStats = { mean: [0.1871], std: [0.2552] };

/** Options of the synthetic shapes dataset: size, image side, seed and the like. */
export interface SyntheticShapesOptions {
  /** Number of samples (≥ 0). */
  readonly n: number;
  readonly seed: number;
  /** Image side in pixels. Default 28. */
  readonly size?: number;
  /** Number of classes, 2..10 (the first `classes` shapes). Default 10. */
  readonly classes?: number;
  /** Default 'standard' (SYNTHETIC_STATS). */
  readonly normalization?: Normalization;
  /** Dataset name. Default 'synthetic-shapes'. */
  readonly name?: string;
}

/** The synthetic shapes dataset as host arrays (images and labels), before any tensor is made. */
export interface SyntheticArrays {
  /** n*size*size values in [0, 1], channels last (1 channel). */
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly size: number;
  readonly classNames: readonly string[];
}

const SQRT1_2 = Math.SQRT1_2;
// Pixel noise comes from a xorshift32 stream seeded by the sample's createRng:
// drawing 784 values per image through createRng costs ~6x more (measured),
// which would make generation take seconds; noise does not need its quality.
const INV_2_31 = 1 / 2 ** 31;
// Triangle edge normals, 120° apart.
const TRI = [0, 1, 2].map((k) => [Math.sin((2 * Math.PI * k) / 3), -Math.cos((2 * Math.PI * k) / 3)] as const);

function box(u: number, v: number, a: number, b: number): number {
  return Math.max(Math.abs(u) - a, Math.abs(v) - b);
}

function bars(u: number, v: number, s: number, t: number): number {
  const g = s * 0.65;
  const nearest = Math.min(Math.abs(v - g), Math.abs(v), Math.abs(v + g));
  return Math.max(Math.abs(u) - s, nearest - t / 2);
}

/** Signed distance (pixels, < 0 inside) from (u, v) to shape `k` of radius s and stroke t. */
function shapeDistance(k: number, u: number, v: number, s: number, t: number): number {
  switch (k) {
    case 0: return Math.sqrt(u * u + v * v) - s;
    case 1: return Math.abs(Math.sqrt(u * u + v * v) - s) - t / 2;
    case 2: return Math.max(Math.abs(u), Math.abs(v)) - s * 0.8;
    case 3: return Math.abs(Math.max(Math.abs(u), Math.abs(v)) - s * 0.8) - t / 2;
    case 4: {
      let d = -Infinity;
      for (const [nx, ny] of TRI) d = Math.max(d, nx * u + ny * v);
      return d - s * 0.5;
    }
    case 5: return Math.min(box(u, v, s, t / 2 + 0.5), box(u, v, t / 2 + 0.5, s));
    case 6: {
      const a = (u + v) * SQRT1_2;
      const b = (v - u) * SQRT1_2;
      return Math.min(box(a, b, s, t / 2 + 0.5), box(a, b, t / 2 + 0.5, s));
    }
    case 7: return bars(u, v, s, t);
    case 8: return bars(v, u, s, t);
    default: return Math.abs((Math.abs(u) + Math.abs(v)) * SQRT1_2 - s * 0.75) - t / 2;
  }
}

function hash2(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

function checkOptions(n: number, size: number, classes: number, seed: number): void {
  if (!Number.isInteger(n) || n < 0) throw new InvalidDatasetOptionsError(`n must be an integer ≥ 0, got ${n}`);
  if (!Number.isInteger(size) || size < 8 || size > 256) throw new InvalidDatasetOptionsError(`size must be an integer in [8, 256], got ${size}`);
  if (!Number.isInteger(classes) || classes < 2 || classes > SYNTHETIC_SHAPE_NAMES.length) {
    throw new InvalidDatasetOptionsError(`classes must be an integer in [2, ${SYNTHETIC_SHAPE_NAMES.length}], got ${classes}`);
  }
  if (!Number.isInteger(seed)) throw new InvalidDatasetOptionsError(`seed must be an integer, got ${seed}`);
}

/** The raw generator: unit-scaled pixels and labels on the host, no tensors. */
export function syntheticShapesArrays(opts: Omit<SyntheticShapesOptions, 'normalization' | 'name'>): SyntheticArrays {
  const { n, seed } = opts;
  const size = opts.size ?? 28;
  const classes = opts.classes ?? 10;
  checkOptions(n, size, classes, seed);
  const images = new Float32Array(n * size * size);
  const labels = new Int32Array(n);
  const blockOrder = new Int32Array(classes);
  for (let i = 0; i < n; i++) {
    const pos = i % classes;
    if (pos === 0 || i === 0) {
      // Balanced labels: a seeded permutation of the classes per block.
      const r = createRng(hash2(seed, -1 - Math.floor(i / classes)));
      for (let c = 0; c < classes; c++) blockOrder[c] = c;
      for (let c = classes - 1; c > 0; c--) {
        const j = r.int(c + 1);
        const tmp = blockOrder[c] as number;
        blockOrder[c] = blockOrder[j] as number;
        blockOrder[j] = tmp;
      }
    }
    const k = blockOrder[pos] as number;
    labels[i] = k;
    const rng = createRng(hash2(seed, i));
    const uniform = (lo: number, hi: number): number => lo + (hi - lo) * rng.uniform();
    const s = size * uniform(0.2, 0.34);
    const t = size * uniform(0.05, 0.1);
    const margin = s + 1;
    const cx = uniform(margin, size - margin);
    const cy = uniform(margin, size - margin);
    const theta = uniform(-0.25, 0.25);
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    const contrast = uniform(0.55, 1);
    const background = uniform(0, 0.15);
    const noise = uniform(0.05, 0.2);
    let ns = rng.next() | 1; // xorshift32 state, never 0
    const base = i * size * size;
    // Every shape lies within 1.42·s + t/2 of its centre (the bars' corners are
    // the farthest, at √2·s); outside that box (+1 px of anti-aliasing) the
    // coverage is 0, so the distance function is skipped there.
    const reach = 1.42 * s + t / 2 + 1;
    for (let y = 0; y < size; y++) {
      const dy = y + 0.5 - cy;
      const rowInside = dy >= -reach && dy <= reach;
      for (let x = 0; x < size; x++) {
        const dx = x + 0.5 - cx;
        ns ^= ns << 13;
        ns ^= ns >>> 17;
        ns ^= ns << 5;
        let cover = 0;
        if (rowInside && dx >= -reach && dx <= reach) {
          const u = cos * dx + sin * dy;
          const v = -sin * dx + cos * dy;
          const d = shapeDistance(k, u, v, s, t);
          cover = d <= -0.5 ? 1 : d >= 0.5 ? 0 : 0.5 - d;
        }
        const p = background + contrast * cover + noise * ((ns >>> 0) * INV_2_31 - 1);
        images[base + y * size + x] = p < 0 ? 0 : p > 1 ? 1 : p;
      }
    }
  }
  return { images, labels, size, classNames: SYNTHETIC_SHAPE_NAMES.slice(0, classes) };
}

/**
 * A synthetic shapes `Dataset` of shape (n, size, size, 1). Deterministic by
 * seed; a few milliseconds per thousand samples.
 */
export function syntheticShapes(opts: SyntheticShapesOptions): Dataset {
  const arrays = syntheticShapesArrays(opts);
  const stats = resolveNormalization(opts.normalization ?? 'standard', SYNTHETIC_STATS, 1);
  const m = stats.mean[0] as number;
  const sd = stats.std[0] as number;
  const px = arrays.images;
  for (let i = 0; i < px.length; i++) px[i] = ((px[i] as number) - m) / sd;
  const name = opts.name ?? 'synthetic-shapes';
  return createDataset({
    name,
    images: px,
    shape: [opts.n, arrays.size, arrays.size, 1],
    labels: arrays.labels,
    classNames: arrays.classNames,
    source: `synthetic-shapes(seed=${opts.seed}, n=${opts.n}, size=${arrays.size}, classes=${arrays.classNames.length})`,
  });
}
