import { tf } from '@metanet/tensor';
import type { GraphTensors } from '../graph-tensors';
import type { ParamStore } from '../nn/param-store';
import { aggregateFromPool, segmentPool } from './aggregate';
import { edgeInputParts, type Dims } from './edge-model';
import type { BlockOptions, Direction, ForwardContext } from './options';
import { UpdateMlp } from './update-mlp';

/**
 * One direction of messages: its MLP over [v_target, v_source, e, u] (the same projected
 * first layer as every edge MLP) and the end of each edge whose node the message is pooled at.
 */
export interface MessageSide {
  readonly mlp: UpdateMlp;
  /** 'target' for messages over incoming edges (forward), 'source' for outgoing ones (backward). */
  readonly at: 'target' | 'source';
}

/**
 * v_i ← MLP^v_2(v_i, ⊕_{j:(i,j)∈E} MLP^v_1(v_i, v_j, e(i,j), u), u), with ⊕ = sum, mean or max
 * over the incoming edges of i (Battaglia et al. 2018, eqs. 2–3). With direction 'backward'
 * the messages come over i's outgoing edges i → j instead, from a message MLP of their own;
 * with 'both' the two aggregates are added. On a parameter graph, a DAG from the network's
 * inputs to its outputs, forward messages alone never carry what sits at the outputs back
 * to the first layers' edges.
 */
export class NodeModel {
  /** MLP^v_1 per direction: forward first (named `message`, as before directions), then backward (`messageOut`). */
  readonly messages: readonly MessageSide[];
  /** MLP^v_2: the node update. */
  readonly updateMlp: UpdateMlp;

  constructor(store: ParamStore, name: string, dims: Dims, readonly options: BlockOptions, readonly direction: Direction = 'forward') {
    const mlpOptions = { ...options, residual: false, layerNorm: false };
    const side = (suffix: string, at: MessageSide['at']): MessageSide => ({
      mlp: new UpdateMlp(store, `${name}.${suffix}`, edgeInputParts(dims), options.hidden, mlpOptions),
      at,
    });
    this.messages = [
      ...(direction !== 'backward' ? [side('message', 'target')] : []),
      ...(direction !== 'forward' ? [side('messageOut', 'source')] : []),
    ];
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

  /** ⊕ of MLP^v_1 over each node's edges in the model's direction(s) (N × hidden). */
  aggregateMessages(g: GraphTensors, v: tf.Tensor2D, e: tf.Tensor2D, u: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    return this.aggregateFromPool(g, this.messagePool(g, v, e, u, ctx), ctx);
  }

  /**
   * The per-node pool the aggregate is made from (see `segmentPool`): for sum and mean the sum,
   * of the first layer's activations when the last layer folds (summed inside the fused
   * first-layer pass), else of the messages; for max the maximum of the messages. One
   * N × hidden block per direction, side by side (N × 2·hidden for 'both'). Sums over parts of
   * the edges add up (edge chunks).
   */
  messagePool(g: GraphTensors, v: tf.Tensor2D, e: tf.Tensor2D, u: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    const pools = this.messages.map(({ mlp, at }) =>
      this.foldsMessages(ctx)
        ? mlp.first.applySegmentSum(g, [v, v, e, u], g.numEdges, mlp.activation, g[at], g.numNodes)
        : segmentPool(mlp.apply(g, [v, v, e, u], g.numEdges, ctx), g[at], g.numNodes, this.options.aggregation),
    );
    return pools.length === 1 ? pools[0]! : (tf.concat(pools, 1) as tf.Tensor2D);
  }

  /** The aggregate from `messagePool` over all of a node's edges (g's in- and out-degrees). */
  aggregateFromPool(g: GraphTensors, pool: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    // Column slices, not tf.split: on wasm a 2-way SplitV of an N × 64 pool cost about 0.2 ms, two Slices about 0.05.
    const width = pool.shape[1] / this.messages.length;
    const parts = this.messages.length === 1 ? [pool] : this.messages.map((_, k) => tf.slice(pool, [0, k * width], [-1, width]));
    const aggs = this.messages.map((side, k) => this.finishPool(side, parts[k]!, side.at === 'target' ? g.inDegree : g.outDegree, ctx));
    return aggs.reduce((a, b) => tf.add(a, b) as tf.Tensor2D);
  }

  private finishPool(side: MessageSide, pool: tf.Tensor2D, degree: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    const how = this.options.aggregation;
    if (!this.foldsMessages(ctx)) return aggregateFromPool(pool, degree, how);
    const last = side.mlp.last;
    if (how === 'sum') {
      return tf.add(tf.matMul(pool, last.w), tf.mul(degree, last.b));
    }
    // mean: divide by the degree; nodes without such edges get 0, as segmentMean gives.
    const hasAny = tf.minimum(degree, 1);
    const mean = tf.div(pool, tf.maximum(degree, 1));
    return tf.add(tf.matMul(mean, last.w), tf.mul(hasAny, last.b));
  }

  /** MLP^v_2 plus residual/norm. */
  update(g: GraphTensors, v: tf.Tensor2D, aggregated: tf.Tensor2D, u: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    const out = this.updateMlp.apply(g, [v, aggregated, u], g.numNodes, ctx);
    return this.updateMlp.finish(v, out);
  }
}
