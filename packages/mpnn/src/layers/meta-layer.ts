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
 * A graph-network block, PyG's MetaLayer: edges first, then nodes from the updated
 * edges, then globals from both. Any of the three may be absent (features pass through).
 */
export class MetaLayer {
  constructor(
    readonly edgeModel: EdgeModel | null,
    readonly nodeModel: NodeModel | null,
    readonly globalModel: GlobalModel | null,
  ) {}

  forward(g: GraphTensors, state: GraphState, ctx: ForwardContext = INFERENCE): GraphState {
    const e = this.edgeModel !== null ? this.edgeModel.forward(g, state.v, state.e, state.u, ctx) : state.e;
    const v = this.nodeModel !== null ? this.nodeModel.forward(g, state.v, e, state.u, ctx) : state.v;
    const u = this.globalModel !== null ? this.globalModel.forward(g, v, e, state.u, ctx) : state.u;
    return { v, e, u };
  }
}
