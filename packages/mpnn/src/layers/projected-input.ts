import { applyActivation, gatherRows, gatherSumAct, gatherSumActSegmentSum, linear, tf, type Activation, type GatherSumActArgs, type GatherTerm } from '@metanet/tensor';
import type { ParamStore } from '../nn/param-store';
import type { GraphTensors } from '../graph-tensors';

/** One input of a first layer and how it reaches the output rows. */
export interface InputPart {
  /** Name of the weight block, e.g. 'target', 'source', 'edge', 'global'. */
  name: string;
  dim: number;
  /**
   * 'row': already one row per output row (e.g. e for an edge MLP); otherwise the
   * graph index that picks a row per output row (e.g. the target node of each edge).
   */
  via: 'row' | GraphIndex;
}

/** Index tensors of GraphTensors usable for gathering. */
export type GraphIndex = 'target' | 'source' | 'edgeGraph' | 'nodeGraph';

/**
 * The first linear layer of an MLP over a concatenation [x_1, …, x_k] with k
 * different row spaces (nodes, edges, graphs). W is stored as one block per part, so
 *   [x_1[idx_1], …, x_k[idx_k]]·W + b  =  Σ_p (x_p·W_p)[idx_p] + b,
 * and the right side projects each part on its own (small) row set before
 * gathering: N·H work instead of E·H for node parts, and no E×(Σd) concatenation.
 */
export class ProjectedInput {
  readonly blocks: tf.Variable[];
  readonly bias: tf.Variable;

  constructor(
    store: ParamStore,
    name: string,
    readonly parts: readonly InputPart[],
    readonly outDim: number,
  ) {
    const fanIn = parts.reduce((a, p) => a + p.dim, 0);
    this.blocks = parts.map((p) => store.add(`${name}.${p.name}`, [p.dim, outDim], 'glorot', { fanIn, fanOut: outDim }));
    this.bias = store.add(`${name}.bias`, [outDim], 'zeros');
  }

  /** act(first layer) for `numRows` output rows. */
  apply(g: GraphTensors, values: readonly tf.Tensor2D[], numRows: number, activation: Activation, naive: boolean): tf.Tensor2D {
    if (naive) return this.naive(g, values, activation);
    return gatherSumAct({ ...this.split(g, values), numRows, activation });
  }

  /** Σ over rows of act(first layer), per segment: fused with the forward pass (sum aggregation). */
  applySegmentSum(
    g: GraphTensors,
    values: readonly tf.Tensor2D[],
    numRows: number,
    activation: Activation,
    segIds: tf.Tensor1D,
    numSegments: number,
  ): tf.Tensor2D {
    return gatherSumActSegmentSum({ ...this.split(g, values), numRows, activation, segIds, numSegments });
  }

  /**
   * The gathered terms, and the per-row parts: one row part beside gathered ones is handed over as a
   * product x·W, which the fused kernel computes block by block on wasm (no E×H product tensor); several
   * row parts, or row parts alone (which then carry the bias), are summed into a base.
   */
  private split(g: GraphTensors, values: readonly tf.Tensor2D[]): Pick<GatherSumActArgs, 'base' | 'product' | 'terms'> {
    const rowParts = this.parts.flatMap((p, i) => (p.via === 'row' ? [i] : []));
    const gathered = rowParts.length < this.parts.length;
    if (gathered && rowParts.length === 1) {
      const i = rowParts[0]!;
      return { product: { x: values[i]!, w: this.blocks[i]! as tf.Tensor2D }, terms: this.gatheredTerms(g, values) };
    }
    let base: tf.Tensor2D | undefined;
    for (const i of rowParts) {
      const y = linear(values[i]!, this.blocks[i]! as tf.Tensor2D);
      base = base === undefined ? y : (tf.add(base, y) as tf.Tensor2D);
    }
    if (!gathered && base !== undefined) base = tf.add(base, this.bias) as tf.Tensor2D;
    return { ...(base !== undefined ? { base } : {}), terms: this.gatheredTerms(g, values) };
  }

  /** Each gathered part projected on its own rows; the bias rides on the first table (fewest rows touched). */
  private gatheredTerms(g: GraphTensors, values: readonly tf.Tensor2D[]): GatherTerm[] {
    const terms: GatherTerm[] = [];
    this.parts.forEach((p, i) => {
      if (p.via === 'row') return;
      const proj = tf.matMul(values[i]!, this.blocks[i]! as tf.Tensor2D);
      terms.push({ table: (terms.length === 0 ? tf.add(proj, this.bias) : proj) as tf.Tensor2D, index: g[p.via] });
    });
    return terms;
  }

  private naive(g: GraphTensors, values: readonly tf.Tensor2D[], activation: Activation): tf.Tensor2D {
    const cols = this.parts.map((p, i) => (p.via === 'row' ? values[i]! : gatherRows(values[i]!, g[p.via])));
    const x = cols.length === 1 ? cols[0]! : tf.concat(cols, 1);
    const w = this.blocks.length === 1 ? this.blocks[0]! : tf.concat(this.blocks, 0);
    return applyActivation(tf.add(tf.matMul(x, w), this.bias), activation);
  }
}
