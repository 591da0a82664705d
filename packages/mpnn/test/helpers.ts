import { NODE_TYPES, EDGE_TYPES, type ParameterGraph } from '@metanet/graph';
import { createRng } from '@metanet/tensor';
import type { GMN } from '../src/index';

const nodeType = (t: (typeof NODE_TYPES)[number]): number => NODE_TYPES.indexOf(t);
const edgeType = (t: (typeof EDGE_TYPES)[number]): number => EDGE_TYPES.indexOf(t);

export interface TinyMlp {
  /** Layer widths, e.g. [2, 3, 2]. */
  widths: number[];
  /** weights[l] is (out × in) row-major, biases[l] (out). */
  weights: Float32Array[];
  biases: Float32Array[];
}

export function randomMlp(widths: number[], seed: number): TinyMlp {
  const rng = createRng(seed);
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let l = 0; l + 1 < widths.length; l++) {
    weights.push(Float32Array.from({ length: widths[l + 1]! * widths[l]! }, () => rng.normal(0, 0.5)));
    biases.push(Float32Array.from({ length: widths[l + 1]! }, () => rng.normal(0, 0.1)));
  }
  return { widths, weights, biases };
}

/**
 * The GMN parameter graph of a dense MLP, built by hand (DESIGN.md's scheme): neuron
 * nodes layer by layer, then one bias node per layer; weight edges in row-major
 * (out, in) order per layer, then that layer's bias edges.
 */
export function mlpGraph(m: TinyMlp): ParameterGraph {
  const L = m.widths.length - 1;
  const offsets: number[] = [];
  let n = 0;
  for (const w of m.widths) {
    offsets.push(n);
    n += w;
  }
  const biasNode0 = n;
  n += L;
  const nodeFeatures = new Float32Array(n * 3);
  m.widths.forEach((w, l) => {
    for (let i = 0; i < w; i++) {
      const id = offsets[l]! + i;
      const io = l === 0 || l === L ? i : -1;
      const t = l === 0 ? 'input' : l === L ? 'output' : 'hidden';
      nodeFeatures.set([l, io, nodeType(t)], id * 3);
    }
  });
  for (let l = 0; l < L; l++) nodeFeatures.set([l + 1, -1, nodeType('bias')], (biasNode0 + l) * 3);
  const src: number[] = [];
  const dst: number[] = [];
  const feats: number[] = [];
  for (let l = 0; l < L; l++) {
    const fin = m.widths[l]!;
    const fout = m.widths[l + 1]!;
    for (let o = 0; o < fout; o++) {
      for (let i = 0; i < fin; i++) {
        src.push(offsets[l]! + i);
        dst.push(offsets[l + 1]! + o);
        feats.push(m.weights[l]![o * fin + i]!, l + 1, edgeType('dense'), -1, -1);
      }
    }
    for (let o = 0; o < fout; o++) {
      src.push(biasNode0 + l);
      dst.push(offsets[l + 1]! + o);
      feats.push(m.biases[l]![o]!, l + 1, edgeType('bias'), -1, -1);
    }
  }
  const E = src.length;
  return {
    numNodes: n,
    numEdges: E,
    nodeFeatures,
    edgeIndex: Int32Array.from([...src, ...dst]),
    edgeFeatures: Float32Array.from(feats),
    paramEdges: [],
  };
}

/** Permutes hidden layer `layer` (1..L−1) by perm: rows of W_l, b_l and, if coupled, columns of W_{l+1}. */
export function permuteMlpHidden(m: TinyMlp, layer: number, perm: number[], coupled = true): TinyMlp {
  const weights = m.weights.map((w) => Float32Array.from(w));
  const biases = m.biases.map((b) => Float32Array.from(b));
  const fin = m.widths[layer - 1]!;
  const width = m.widths[layer]!;
  const fnext = m.widths[layer + 1]!;
  for (let o = 0; o < width; o++) {
    for (let i = 0; i < fin; i++) weights[layer - 1]![o * fin + i] = m.weights[layer - 1]![perm[o]! * fin + i]!;
    biases[layer - 1]![o] = m.biases[layer - 1]![perm[o]!]!;
  }
  if (coupled) {
    for (let o = 0; o < fnext; o++) {
      for (let i = 0; i < width; i++) weights[layer]![o * width + i] = m.weights[layer]![o * width + perm[i]!]!;
    }
  }
  return { widths: m.widths, weights, biases };
}

/** Copies of a model's weights, in trainableVariables order (for before/after comparisons). */
export function weightsOf(m: GMN): Float32Array[] {
  return m.trainableVariables.map((v) => v.dataSync().slice() as Float32Array);
}
