import { tf } from '@metanet/tensor';
import type { GraphTensors } from '../graph-tensors';
import type { ParamStore } from '../nn/param-store';
import { aggregateFromPool, segmentPool } from './aggregate';
import { edgeInputParts, type Dims } from './edge-model';
import type { BlockOptions, ForwardContext } from './options';
import { UpdateMlp } from './update-mlp';

/**
 * v_i ← MLP^v_2(v_i, ⊕_{j:(i,j)∈E} MLP^v_1(v_i, v_j, e(i,j), u), u), with ⊕ = sum, mean or max
 * over the incoming edges of i (Battaglia et al. 2018, eqs. 2–3).
 */
export class NodeModel {
  /** MLP^v_1: the per-edge message. */
  readonly messageMlp: UpdateMlp;
  /** MLP^v_2: the node update. */
  readonly updateMlp: UpdateMlp;

  constructor(store: ParamStore, name: string, dims: Dims, readonly options: BlockOptions) {
    this.messageMlp = new UpdateMlp(store, `${name}.message`, edgeInputParts(dims), options.hidden, {
      ...options,
      residual: false,
      layerNorm: false,
    });
    this.updateMlp = new UpdateMlp(
      store,
      `${name}.update`,
      [
        { name: 'node', dim: dims.node, via: 'row' },
        { name: 'aggregate', dim: options.hidden, via: 'row' },
        { name: 'global', dim: dims.global, via: 'nodeGraph' },
      ],
      dims.node,
      options,
    );
  }

  /** PyG's `propagate`: message, aggregate and update in one call. */
  forward(g: GraphTensors, v: tf.Tensor2D, e: tf.Tensor2D, u: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    return this.update(g, v, this.aggregateMessages(g, v, e, u, ctx), u, ctx);
  }

  /**
   * Whether the message MLP's last layer is applied after the sum: it is linear, so it
   * commutes with it, Σ_j (h_j·W + b) = (Σ_j h_j)·W + deg_i·b (N rows instead of E).
   */
  foldsMessages(ctx: ForwardContext): boolean {
    const { aggregation, naive, dropout, mlpLayers } = this.options;
    return !naive && aggregation !== 'max' && mlpLayers === 2 && !(ctx.training && dropout > 0);
  }

  /** ⊕ of MLP^v_1 over each node's incoming edges (N × hidden). */
  aggregateMessages(g: GraphTensors, v: tf.Tensor2D, e: tf.Tensor2D, u: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    return this.aggregateFromPool(g, this.messagePool(g, v, e, u, ctx), ctx);
  }

  /**
   * The per-node pool the aggregate is made from (see `segmentPool`): for sum and mean the sum,
   * of the first layer's activations when the last layer folds (summed inside the fused
   * first-layer pass), else of the messages; for max the maximum of the messages. Sums over
   * parts of the edges add up (edge chunks).
   */
  messagePool(g: GraphTensors, v: tf.Tensor2D, e: tf.Tensor2D, u: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    const mlp = this.messageMlp;
    return this.foldsMessages(ctx)
      ? mlp.first.applySegmentSum(g, [v, v, e, u], g.numEdges, mlp.activation, g.target, g.numNodes)
      : segmentPool(mlp.apply(g, [v, v, e, u], g.numEdges, ctx), g.target, g.numNodes, this.options.aggregation);
  }

  /** The aggregate from `messagePool` over all of a node's edges (g's in-degrees). */
  aggregateFromPool(g: GraphTensors, pool: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    const how = this.options.aggregation;
    if (!this.foldsMessages(ctx)) return aggregateFromPool(pool, g.inDegree, how);
    const last = this.messageMlp.last;
    if (how === 'sum') {
      return tf.add(tf.matMul(pool, last.w), tf.mul(g.inDegree, last.b));
    }
    // mean: divide by the in-degree; nodes without incoming edges get 0, as segmentMean gives.
    const hasIn = tf.minimum(g.inDegree, 1);
    const mean = tf.div(pool, tf.maximum(g.inDegree, 1));
    return tf.add(tf.matMul(mean, last.w), tf.mul(hasIn, last.b));
  }

  /** MLP^v_2 plus residual/norm. */
  update(g: GraphTensors, v: tf.Tensor2D, aggregated: tf.Tensor2D, u: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    const out = this.updateMlp.apply(g, [v, aggregated, u], g.numNodes, ctx);
    return this.updateMlp.finish(v, out);
  }
}
