import type { tf } from '@metanet/tensor';
import type { GraphTensors } from '../graph-tensors';
import type { ParamStore } from '../nn/param-store';
import { edgeInputParts, type Dims } from '../layers/edge-model';
import type { BlockOptions, ForwardContext } from '../layers/options';
import { UpdateMlp } from '../layers/update-mlp';

/**
 * Edge-level head: k values per edge from [v_i, v_j, e(i,j), u]. Equivariant: permuting
 * edges permutes its rows. With `zeroInit` the last layer starts at 0, so an editor
 * that adds the output to the weights (w' = w + Δw) starts as the identity.
 */
export class EdgeHead {
  readonly mlp: UpdateMlp;

  constructor(store: ParamStore, name: string, dims: Dims, outputs: number, zeroInit: boolean, options: BlockOptions) {
    this.mlp = new UpdateMlp(store, name, edgeInputParts(dims), outputs, { ...options, residual: false, layerNorm: false }, zeroInit);
  }

  /** E × outputs. */
  forward(g: GraphTensors, v: tf.Tensor2D, e: tf.Tensor2D, u: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    return this.mlp.apply(g, [v, v, e, u], g.numEdges, ctx);
  }
}
