import type { tf } from '@metanet/tensor';
import type { GraphTensors } from '../graph-tensors';
import type { ParamStore } from '../nn/param-store';
import type { BlockOptions, ForwardContext } from './options';
import type { InputPart } from './projected-input';
import { UpdateMlp } from './update-mlp';

/** Feature widths entering a GN block. */
export interface Dims {
  node: number;
  edge: number;
  global: number;
}

/** e(i,j) ← MLP^e(v_i, v_j, e(i,j), u) for every edge j → i (Battaglia et al. 2018, eq. 1). */
export class EdgeModel {
  readonly mlp: UpdateMlp;

  constructor(store: ParamStore, name: string, dims: Dims, options: BlockOptions) {
    this.mlp = new UpdateMlp(store, name, edgeInputParts(dims), dims.edge, options);
  }

  /** Updated edge features (residual and LayerNorm applied as configured). */
  forward(g: GraphTensors, v: tf.Tensor2D, e: tf.Tensor2D, u: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    return this.mlp.finish(e, this.message(g, v, e, u, ctx));
  }

  /** The MLP's raw output per edge. */
  message(g: GraphTensors, v: tf.Tensor2D, e: tf.Tensor2D, u: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    return this.mlp.apply(g, [v, v, e, u], g.numEdges, ctx);
  }
}

/** [v_i, v_j, e(i,j), u] for edge j → i: target, source, the edge row, its graph. */
export function edgeInputParts(dims: Dims): InputPart[] {
  return [
    { name: 'target', dim: dims.node, via: 'target' },
    { name: 'source', dim: dims.node, via: 'source' },
    { name: 'edge', dim: dims.edge, via: 'row' },
    { name: 'global', dim: dims.global, via: 'edgeGraph' },
  ];
}
