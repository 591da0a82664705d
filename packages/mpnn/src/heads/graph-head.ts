import { applyActivation, gatherSumActSegmentSum, linear, segmentSum, tf } from '@metanet/tensor';
import type { GraphTensors } from '../graph-tensors';
import { applyDense, createDense, type Dense } from '../nn/dense';
import type { ParamStore } from '../nn/param-store';
import { aggregate } from '../layers/aggregate';
import type { Dims } from '../layers/edge-model';
import type { BlockOptions, ForwardContext } from '../layers/options';
import { UpdateMlp } from '../layers/update-mlp';

/**
 * Graph-level head, a DeepSets readout (Zaheer et al. 2017) over both sets:
 * y = ρ(⊕_i φ_v(v_i), ⊕_e φ_e(e), u). Invariant to any permutation of nodes or edges,
 * hence to the hidden-neuron symmetries the parameter graph encodes.
 */
export class GraphHead {
  readonly phiNode: Dense;
  readonly phiEdge: Dense;
  readonly rho: UpdateMlp;

  constructor(store: ParamStore, name: string, dims: Dims, outputs: number, readonly options: BlockOptions) {
    const h = options.hidden;
    this.phiNode = createDense(store, `${name}.phi_node`, dims.node, h);
    this.phiEdge = createDense(store, `${name}.phi_edge`, dims.edge, h);
    this.rho = new UpdateMlp(
      store,
      `${name}.rho`,
      [
        { name: 'nodes', dim: h, via: 'row' },
        { name: 'edges', dim: h, via: 'row' },
        { name: 'global', dim: dims.global, via: 'row' },
      ],
      outputs,
      { ...options, residual: false, layerNorm: false },
    );
  }

  /** G × outputs. */
  forward(g: GraphTensors, v: tf.Tensor2D, e: tf.Tensor2D, u: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    const how = this.options.aggregation;
    const edges =
      how === 'sum'
        ? this.edgeSum(g, e)
        : aggregate(applyActivation(applyDense(e, this.phiEdge), this.options.activation), g.edgeGraph, g.numGraphs, how);
    return this.readout(g, v, edges, u, ctx);
  }

  /** Σ_e φ_e(e) per graph; sums over parts of the edges add up (edge chunks). */
  edgeSum(g: GraphTensors, e: tf.Tensor2D): tf.Tensor2D {
    const act = this.options.activation;
    if (this.options.naive) return segmentSum(applyActivation(applyDense(e, this.phiEdge), act), g.edgeGraph, g.numGraphs);
    // φ_e and the per-graph sum in one fused pass; the bias enters as a per-graph row.
    const bias = tf.tile(tf.expandDims(this.phiEdge.b, 0), [g.numGraphs, 1]) as tf.Tensor2D;
    return gatherSumActSegmentSum({
      base: linear(e, this.phiEdge.w as tf.Tensor2D),
      terms: [{ table: bias, index: g.edgeGraph }],
      numRows: g.numEdges,
      activation: act,
      segIds: g.edgeGraph,
      numSegments: g.numGraphs,
    });
  }

  /** ρ(⊕_i φ_v(v_i), pooled edges, u), from the edges already pooled per graph. */
  readout(g: GraphTensors, v: tf.Tensor2D, pooledEdges: tf.Tensor2D, u: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    const nodes = aggregate(applyActivation(applyDense(v, this.phiNode), this.options.activation), g.nodeGraph, g.numGraphs, this.options.aggregation);
    return this.rho.apply(g, [nodes, pooledEdges, u], g.numGraphs, ctx);
  }
}
