import type { tf } from '@metanet/tensor';
import type { GraphTensors } from '../graph-tensors';
import type { EdgeModel } from './edge-model';
import type { GlobalModel } from './global-model';
import type { NodeModel } from './node-model';
import { INFERENCE, type ForwardContext } from './options';

/** Node, edge and global features of a batch of graphs. */
export interface GraphState {
  /** N × node width. */
  v: tf.Tensor2D;
  /** E × edge width. */
  e: tf.Tensor2D;
  /** G × global width (one row per graph). */
  u: tf.Tensor2D;
}

/**
 * What a block's node and global updates read from its edges, pooled per node and per graph
 * (see `segmentPool`: sums for sum and mean aggregation, maxima for max).
 */
export interface EdgePools {
  /** `NodeModel#messagePool`, N × hidden per message direction; null without a node update. */
  messages: tf.Tensor2D | null;
  /** `GlobalModel#edgePool` of the updated edges, G × edge width; null without a global update. */
  edges: tf.Tensor2D | null;
}

/** The per-edge phase's result: the updated edges and their pools. */
export interface EdgePhase {
  e: tf.Tensor2D;
  pools: EdgePools;
}

/**
 * A graph-network block, PyG's MetaLayer: edges first, then nodes from the updated
 * edges, then globals from both. Any of the three may be absent (features pass through).
 *
 * The block runs in two phases. The per-edge phase (`edgePhase`: the edge update, then the
 * messages and the updated edges pooled per node and per graph) reads each edge on its own
 * and meets the others only in the pools. The node/global phase (`nodePhase`) finishes the
 * pools and runs the node, then the global update, on N and G rows. `forward` is one phase
 * after the other; for sum and mean aggregation the per-edge phase can also run over parts of
 * the edges with their pools added up, which is how `trainStepByEdges` schedules it.
 */
export class MetaLayer {
  constructor(
    readonly edgeModel: EdgeModel | null,
    readonly nodeModel: NodeModel | null,
    readonly globalModel: GlobalModel | null,
  ) {}

  /** One graph-network block: the edge, node and global updates, in that order. */
  forward(g: GraphTensors, state: GraphState, ctx: ForwardContext = INFERENCE): GraphState {
    const { e, pools } = this.edgePhase(g, state, ctx);
    const { v, u } = this.nodePhase(g, state, pools, ctx);
    return { v, e, u };
  }

  /**
   * The per-edge phase on g's edges, which may be a part of a graph's (an edge chunk: its own
   * edges, the whole graph's nodes and graphs). Dropout masks of the edge MLP come from `ctx`,
   * those of the message MLP from `messageCtx` (default: `ctx`, after the edge MLP's).
   */
  edgePhase(g: GraphTensors, state: GraphState, ctx: ForwardContext, messageCtx: ForwardContext = ctx): EdgePhase {
    const { v, u } = state;
    const e = this.edgeModel !== null ? this.edgeModel.forward(g, v, state.e, u, ctx) : state.e;
    return {
      e,
      pools: {
        messages: this.nodeModel !== null ? this.nodeModel.messagePool(g, v, e, u, messageCtx) : null,
        edges: this.globalModel !== null ? this.globalModel.edgePool(g, e) : null,
      },
    };
  }

  /**
   * The node/global phase on g, from `pools` over all of g's edges: the node update, then the
   * global update from the updated nodes. Dropout masks of the node update come from `ctx`,
   * those of the global update from `globalCtx` (default: `ctx`, after the node update's).
   */
  nodePhase(
    g: GraphTensors,
    state: Pick<GraphState, 'v' | 'u'>,
    pools: EdgePools,
    ctx: ForwardContext,
    globalCtx: ForwardContext = ctx,
  ): Pick<GraphState, 'v' | 'u'> {
    const nm = this.nodeModel;
    const gm = this.globalModel;
    const v = nm !== null && pools.messages !== null ? nm.update(g, state.v, nm.aggregateFromPool(g, pools.messages, ctx), state.u, ctx) : state.v;
    const u = gm !== null && pools.edges !== null ? gm.update(g, v, gm.aggregateFromPool(g, pools.edges), state.u, globalCtx) : state.u;
    return { v, u };
  }
}
