import type { tf } from '@metanet/tensor';
import type { GraphTensors } from '../graph-tensors';
import type { ParamStore } from '../nn/param-store';
import { aggregate, aggregateFromPool, segmentPool } from './aggregate';
import type { Dims } from './edge-model';
import type { BlockOptions, ForwardContext } from './options';
import { UpdateMlp } from './update-mlp';

/** u ← MLP^u(⊕_i v_i, ⊕_e e, u), pooled per graph of the batch (Battaglia et al. 2018, eq. 4). */
export class GlobalModel {
  readonly mlp: UpdateMlp;

  constructor(store: ParamStore, name: string, dims: Dims, readonly options: BlockOptions) {
    this.mlp = new UpdateMlp(
      store,
      name,
      [
        { name: 'nodes', dim: dims.node, via: 'row' },
        { name: 'edges', dim: dims.edge, via: 'row' },
        { name: 'global', dim: dims.global, via: 'row' },
      ],
      dims.global,
      options,
    );
  }

  /** The global update: pools edges and nodes per graph and updates the global state. */
  forward(g: GraphTensors, v: tf.Tensor2D, e: tf.Tensor2D, u: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    return this.update(g, v, this.aggregateFromPool(g, this.edgePool(g, e)), u, ctx);
  }

  /** The per-graph pool of the edges (see `segmentPool`); sums over parts of the edges add up (edge chunks). */
  edgePool(g: GraphTensors, e: tf.Tensor2D): tf.Tensor2D {
    return segmentPool(e, g.edgeGraph, g.numGraphs, this.options.aggregation);
  }

  /** ⊕_e e per graph from `edgePool` over all of g's edges. */
  aggregateFromPool(g: GraphTensors, pool: tf.Tensor2D): tf.Tensor2D {
    return aggregateFromPool(pool, g.edgesPerGraph, this.options.aggregation);
  }

  /** The update from the edges already aggregated per graph (`aggregateFromPool`). */
  update(g: GraphTensors, v: tf.Tensor2D, pooledEdges: tf.Tensor2D, u: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    const pooledNodes = aggregate(v, g.nodeGraph, g.numGraphs, this.options.aggregation);
    const out = this.mlp.apply(g, [pooledNodes, pooledEdges, u], g.numGraphs, ctx);
    return this.mlp.finish(u, out);
  }
}
