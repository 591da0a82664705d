import { InvalidOptionError } from './errors.js';
import { hostMatrix, readLabelled, type HostMatrix, type LabelsInput, type MatrixInput } from './matrix.js';
import { softmaxRows } from './softmax.js';

/**
 * Per-sample attack features from a model's outputs (Song & Mittal 2021, as
 * used by SalUn's SVC_MIA):
 * - `confidence`: softmax probability of the true label (1 column);
 * - `entropy`: −Σ p log p in nats (1 column);
 * - `modified-entropy`: −(1 − p_y) log p_y − Σ_{i≠y} p_i log(1 − p_i) (1 column).
 *   This is Song & Mittal's definition; SalUn's m_entropy indexes whole
 *   columns and so computes something else;
 * - `correctness`: 1 if argmax = label else 0 (1 column);
 * - `probabilities`: the whole softmax vector (K columns).
 */
export type MiaFeature = 'confidence' | 'entropy' | 'modified-entropy' | 'correctness' | 'probabilities';

/** Every feature the membership-inference attacks can read from a model's outputs. */
export const MIA_FEATURES: readonly MiaFeature[] = ['confidence', 'entropy', 'modified-entropy', 'correctness', 'probabilities'];

// Probabilities below this are treated as this inside logarithms, matching the
// clip of per-sample losses (−log 1e-12 ≈ 27.6) so no feature is infinite.
const MIN_PROB = 1e-12;

/** Computes one {@link MiaFeature} for every row, as an (N, 1) or (N, K) float64 matrix. */
export function miaFeatures(logits: MatrixInput, labels: LabelsInput, feature: MiaFeature): HostMatrix {
  if (!MIA_FEATURES.includes(feature)) {
    throw new InvalidOptionError(`unknown MIA feature '${String(feature)}'; use one of ${MIA_FEATURES.join(', ')}`);
  }
  const { m, y } = readLabelled(logits, labels, `${feature} feature`);
  const p = softmaxRows(m, `${feature} feature`);
  const { rows, cols } = m;
  if (feature === 'probabilities') return hostMatrix(p, rows, cols);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    const label = y[i]!;
    const py = p[base + label]!;
    if (feature === 'confidence') {
      out[i] = py;
    } else if (feature === 'entropy') {
      out[i] = entropyOf(p, base, cols);
    } else if (feature === 'modified-entropy') {
      let h = -(1 - py) * Math.log(Math.max(py, MIN_PROB));
      for (let j = 0; j < cols; j++) {
        if (j === label) continue;
        const pj = p[base + j]!;
        h -= pj * Math.log(Math.max(1 - pj, MIN_PROB));
      }
      out[i] = h;
    } else {
      let best = 0;
      for (let j = 1; j < cols; j++) if (p[base + j]! > p[base + best]!) best = j;
      out[i] = best === label ? 1 : 0;
    }
  }
  return hostMatrix(out, rows, 1);
}

/** Shannon entropy in nats of row `base..base+cols` of a probability matrix, with 0 log 0 = 0. */
export function entropyOf(p: Float64Array, base: number, cols: number): number {
  let h = 0;
  for (let j = 0; j < cols; j++) {
    const v = p[base + j]!;
    if (v > 0) h -= v * Math.log(v);
  }
  return h;
}
