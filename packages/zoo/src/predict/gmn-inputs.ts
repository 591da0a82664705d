/**
 * What the GMN predictor reads besides the raw graph: parameter values standardised per tensor,
 * and the nets' weight statistics for its readout, both scaled by the training nets.
 *
 * Per-tensor standardisation is what the NFN code does to its zoos (`normalize` in
 * experiments/data_utils.py: each weight and bias tensor minus its zoo mean, over its zoo std).
 * Raw small-cnn values span four orders of magnitude across the zoo (init std log-U[1e-3, 0.5]),
 * and the encoder's Fourier code of the value (up to 2^7 cycles per unit) turns a large weight
 * into noise; on the 221-run zoo the unnormalised GMN ranked test nets at τ 0.3.
 *
 * The statistics are StatNN's (mean, variance, 5 quantiles per tensor), z-scored over the
 * training nets: an invariant readout of the input that the GMN's learnt readout adds to.
 */
import { toParameterGraph } from '@metanet/graph';
import type { GraphInput } from '@metanet/mpnn';
import { STAT_NAMES, statFeatures } from '../baselines/stat-features';
import { probeNodeFeatures, type ProbeConfig } from './probe-features';
import type { ZooEntry } from './types';

/** Per-tensor value scaling and per-feature statistics scaling, fitted on the training nets (JSON). */
export interface GmnInputScaling {
  /** Mean and std of every parameter tensor's values over the training nets, by tensor index. */
  readonly paramShift: readonly number[];
  readonly paramScale: readonly number[];
  /** Mean and std of each statistics feature over the training nets. */
  readonly statShift: readonly number[];
  readonly statScale: readonly number[];
  /** Probe features as extra node columns (`probe-features.ts`); absent: none. */
  readonly probes?: ProbeConfig;
}

/** Identity scaling: raw values, no statistics (the predictor as it was before scaling). */
export const NO_SCALING: GmnInputScaling = { paramShift: [], paramScale: [], statShift: [], statScale: [] };

function meanStdOf(sum: number, sumSq: number, n: number): [number, number] {
  const mean = sum / Math.max(n, 1);
  const sd = Math.sqrt(Math.max(sumSq / Math.max(n, 1) - mean * mean, 0));
  // A constant tensor (a frozen bias) carries no spread to divide by.
  return [mean, sd > 1e-12 ? sd : 1];
}

/** Fits the scaling on the training nets. */
export function fitInputScaling(train: readonly ZooEntry[]): GmnInputScaling {
  const tensors = Math.max(...train.map((e) => e.net.params.length));
  const acc = Array.from({ length: tensors }, () => ({ sum: 0, sumSq: 0, n: 0 }));
  for (const e of train) {
    e.net.params.forEach((p, t) => {
      const a = acc[t]!;
      for (let i = 0; i < p.length; i++) {
        a.sum += p[i]!;
        a.sumSq += p[i]! * p[i]!;
      }
      a.n += p.length;
    });
  }
  const params = acc.map((a) => meanStdOf(a.sum, a.sumSq, a.n));
  const cols = tensors * STAT_NAMES.length;
  const rows = train.map(statsOf);
  const stats = Array.from({ length: cols }, (_, c) => {
    let sum = 0;
    let sumSq = 0;
    for (const r of rows) {
      const v = r[c] ?? 0;
      sum += v;
      sumSq += v * v;
    }
    return meanStdOf(sum, sumSq, rows.length);
  });
  return { paramShift: params.map((p) => p[0]), paramScale: params.map((p) => p[1]), statShift: stats.map((s) => s[0]), statScale: stats.map((s) => s[1]) };
}

const graphCache = new WeakMap<ZooEntry, { scaling: GmnInputScaling; graph: GraphInput }>();

/**
 * The net's parameter graph with every parameter edge's value standardised by its tensor's scaling, and with the
 * scaling's probe features as `nodeExtra`; built once per entry and scaling.
 */
export function scaledGraphOf(entry: ZooEntry, scaling: GmnInputScaling): GraphInput {
  const hit = graphCache.get(entry);
  if (hit && hit.scaling === scaling) return hit.graph;
  const raw = toParameterGraph(entry.net.spec, entry.net.params, { strict: true });
  let graph: GraphInput = raw;
  if (scaling.paramScale.length > 0) {
    const edgeFeatures = raw.edgeFeatures.slice();
    raw.paramEdges.forEach((range, t) => {
      // Tensors beyond the training nets' count (a wider architecture) keep their raw values.
      const shift = scaling.paramShift[t] ?? 0;
      const scale = scaling.paramScale[t] ?? 1;
      for (let e = range.start; e < range.start + range.count; e++) edgeFeatures[5 * e] = (edgeFeatures[5 * e]! - shift) / scale;
    });
    graph = { ...raw, edgeFeatures };
  }
  // Probes run the net on its raw weights: the scaling above is the GMN's input encoding, not the net.
  if (scaling.probes) graph = { ...graph, nodeExtra: probeNodeFeatures(entry.net, raw, scaling.probes) };
  graphCache.set(entry, { scaling, graph });
  return graph;
}

const statsCache = new WeakMap<ZooEntry, Float32Array>();

/** StatNN's statistics of a net, computed once per entry (every training batch needs them again). */
function statsOf(entry: ZooEntry): Float32Array {
  let s = statsCache.get(entry);
  if (!s) {
    s = statFeatures(entry.net);
    statsCache.set(entry, s);
  }
  return s;
}

/** Rows × cols z-scored statistics (cols = the scaling's statistics count; missing tensors are 0 after scaling). */
export function scaledStats(entries: readonly ZooEntry[], scaling: GmnInputScaling): Float32Array {
  const cols = scaling.statShift.length;
  const out = new Float32Array(entries.length * cols);
  entries.forEach((e, r) => {
    const s = statsOf(e);
    for (let c = 0; c < cols; c++) out[r * cols + c] = c < s.length ? (s[c]! - scaling.statShift[c]!) / scaling.statScale[c]! : 0;
  });
  return out;
}
