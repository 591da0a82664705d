import { applyActivation, tf, type Activation } from '@metanet/tensor';
import { applyDense, createDense, type Dense } from '../nn/dense';
import { applyLayerNorm, createLayerNorm, type LayerNorm } from '../nn/layer-norm';
import type { ParamStore } from '../nn/param-store';
import { InvalidConfigError } from '../errors';
import { ProjectedInput, type InputPart } from './projected-input';
import type { GraphTensors } from '../graph-tensors';
import type { BlockOptions, ForwardContext } from './options';

/**
 * An update MLP of a GN block: a ProjectedInput first layer, hidden dense layers,
 * and a last layer without activation; then optional residual and LayerNorm.
 */
export class UpdateMlp {
  readonly first: ProjectedInput;
  readonly hidden: Dense[] = [];
  readonly last: Dense;
  readonly norm: LayerNorm | null;

  constructor(
    store: ParamStore,
    name: string,
    parts: readonly InputPart[],
    readonly outDim: number,
    readonly options: BlockOptions,
    /** Zero-initialise the last layer, so the MLP starts as the constant 0. */
    zeroLast = false,
  ) {
    if (!Number.isInteger(options.mlpLayers) || options.mlpLayers < 2) {
      throw new InvalidConfigError(`mlpLayers=${options.mlpLayers}; each update MLP needs at least 2 linear layers`);
    }
    this.first = new ProjectedInput(store, `${name}.lin1`, parts, options.hidden);
    for (let i = 2; i < options.mlpLayers; i++) {
      this.hidden.push(createDense(store, `${name}.lin${i}`, options.hidden, options.hidden));
    }
    this.last = createDense(store, `${name}.lin${options.mlpLayers}`, options.hidden, outDim, zeroLast);
    this.norm = options.layerNorm ? createLayerNorm(store, `${name}.norm`, outDim) : null;
  }

  get activation(): Activation {
    return this.options.activation;
  }

  /** Dropout on hidden activations when the context is training, else the identity. */
  dropout(x: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    const rate = this.options.dropout;
    return ctx.training && rate > 0 ? (tf.dropout(x, rate, undefined, ctx.nextSeed()) as tf.Tensor2D) : x;
  }

  /** Everything after the first layer's activation, up to the last layer's output. */
  tail(h: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    let x = this.dropout(h, ctx);
    for (const d of this.hidden) x = this.dropout(applyActivation(applyDense(x, d), this.activation), ctx);
    return applyDense(x, this.last);
  }

  /** The full MLP on rows (first layer gathered as needed). */
  apply(g: GraphTensors, values: readonly tf.Tensor2D[], numRows: number, ctx: ForwardContext): tf.Tensor2D {
    return this.tail(this.first.apply(g, values, numRows, this.activation, this.options.naive), ctx);
  }

  /** residual + LayerNorm around an update. */
  finish(previous: tf.Tensor2D, update: tf.Tensor2D): tf.Tensor2D {
    const useResidual = this.options.residual && previous.shape[1] === update.shape[1];
    const x = useResidual ? (tf.add(previous, update) as tf.Tensor2D) : update;
    return this.norm !== null ? applyLayerNorm(x, this.norm) : x;
  }
}
