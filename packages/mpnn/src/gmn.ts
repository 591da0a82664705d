import type { BatchedParameterGraph, ParameterGraph } from '@metanet/graph';
import { createRng, gatherSumAct, linear, tf, type Rng } from '@metanet/tensor';
import { blockOptions, resolveConfig, type GMNConfig } from './config';
import { edgeCategoryFeatureDim, edgeFeatureDim, edgeValueFeatureDim, nodeFeatureDim } from './encoders/features';
import { chunkGraphTensors, graphTensors, type GraphInput, type GraphTensors } from './graph-tensors';
import { EdgeHead } from './heads/edge-head';
import { GraphHead } from './heads/graph-head';
import { EdgeModel, type Dims } from './layers/edge-model';
import { GlobalModel } from './layers/global-model';
import { MetaLayer, type GraphState } from './layers/meta-layer';
import { NodeModel } from './layers/node-model';
import type { ForwardContext } from './layers/options';
import { createDense, type Dense } from './nn/dense';
import { ParamStore } from './nn/param-store';
import { InvalidGraphError, asHeapExhausted } from './errors';
import { defaultChunkEdges } from './memory';

/** What `GMN#apply` returns: graph-level and edge-level outputs (null when the head is absent). */
export interface GMNOutput {
  /** G × graphOutputs, or null without a graph head. */
  graph: tf.Tensor2D | null;
  /** E × edgeOutputs, or null without an edge head. */
  edge: tf.Tensor2D | null;
}

/** Options of `GMN#apply`: training mode and dropout seed. */
export interface ApplyOptions {
  /** Dropout on. Default false. */
  training?: boolean;
  /** Seed for this call's dropout masks. Default: drawn from the model's own stream. */
  seed?: number;
}

/**
 * Graph Metanetwork (Lim et al., ICLR 2024): encoder → L MetaLayers → graph-level
 * and/or edge-level heads, over parameter graphs. Parameters are tf.Variables owned
 * by the model (`trainableVariables`), so it trains with `optimizer.minimize` or
 * `tf.variableGrads` (see also `trainStep`).
 */
export class GMN {
  readonly config: GMNConfig;
  readonly store: ParamStore;
  readonly layers: MetaLayer[] = [];
  readonly graphHead: GraphHead | null;
  readonly edgeHead: EdgeHead | null;
  private readonly nodeEncoder: Dense;
  private readonly edgeEncoder: Dense;
  private readonly globalInit: tf.Variable;
  private readonly dropoutRng: Rng;

  constructor(config: Partial<GMNConfig> = {}, options: { dry?: boolean } = {}) {
    const c = resolveConfig(config);
    this.config = c;
    this.store = new ParamStore(c.seed, options.dry ?? false);
    this.dropoutRng = createRng(c.seed ^ 0x5eed);
    const s = this.store;
    const dims: Dims = { node: c.hidden, edge: c.hidden, global: c.globalHidden };
    this.nodeEncoder = createDense(s, 'encoder.node', nodeFeatureDim(c.features), c.hidden);
    this.edgeEncoder = createDense(s, 'encoder.edge', edgeFeatureDim(c.features), c.hidden);
    this.globalInit = s.add('encoder.global', [1, c.globalHidden], 'zeros');
    for (let l = 0; l < c.layers; l++) {
      const p = `layers.${l}`;
      this.layers.push(
        new MetaLayer(
          c.edgeUpdate ? new EdgeModel(s, `${p}.edge`, dims, blockOptions(c, 'edge')) : null,
          c.nodeUpdate ? new NodeModel(s, `${p}.node`, dims, blockOptions(c, 'node'), c.direction) : null,
          c.globalUpdate ? new GlobalModel(s, `${p}.global`, dims, blockOptions(c, 'global')) : null,
        ),
      );
    }
    this.graphHead = c.graphOutputs > 0 ? new GraphHead(s, 'head.graph', dims, c.graphOutputs, blockOptions(c, 'head')) : null;
    this.edgeHead = c.edgeOutputs > 0 ? new EdgeHead(s, 'head.edge', dims, c.edgeOutputs, c.edgeHeadZeroInit, blockOptions(c, 'head')) : null;
  }

  /** Name → shape of every weight a model with this config has, without allocating any. */
  static parameterShapes(config: Partial<GMNConfig>): Map<string, number[]> {
    return new GMN(config, { dry: true }).store.shapeTable();
  }

  /** Uploads graphs in the form this model reads (encoder features per its config). */
  graphTensors(graphs: GraphInput | BatchedParameterGraph | readonly GraphInput[]): GraphTensors {
    return graphTensors(graphs, this.config.features);
  }

  /**
   * Uploads graphs as chunks of at most `maxEdgesPerChunk` edges, for `trainStep` in bounded
   * memory. Default: the most edges a training step of this model fits in the heap free now
   * (`maxTrainableEdges`), less the chunks' own inputs; on backends without a fixed heap, one chunk.
   */
  graphChunks(graphs: readonly ParameterGraph[], maxEdgesPerChunk?: number): GraphTensors[] {
    return chunkGraphTensors(graphs, this.config.features, maxEdgesPerChunk ?? defaultChunkEdges(this, graphs));
  }

  /** The encoded input state: v, e, u before the first MetaLayer. */
  encode(g: GraphTensors): GraphState {
    const c = this.config;
    const dv = edgeValueFeatureDim(c.features);
    if (
      g.nodeInput.shape[1] !== nodeFeatureDim(c.features) ||
      g.edgeValueInput.shape[1] !== dv ||
      g.edgeCategoryInput.shape[1] !== edgeCategoryFeatureDim(c.features)
    ) {
      throw new InvalidGraphError('graph tensors were built for another feature config; build them with model.graphTensors');
    }
    // Encoder inputs are constants, so their gradient is never formed (inputGrad: false).
    const v = linear(g.nodeInput, this.nodeEncoder.w as tf.Tensor2D, this.nodeEncoder.b as tf.Tensor1D, { inputGrad: false });
    // [values, categorical]·W + b = values·W_v + (table·W_c + b)[category]: the categorical
    // columns are projected once per distinct row and gathered (see splitEdgeFeatures).
    const w = this.edgeEncoder.w as tf.Tensor2D;
    const base = linear(g.edgeValueInput, tf.slice(w, [0, 0], [dv, -1]), undefined, { inputGrad: false });
    const table = tf.add(tf.matMul(g.edgeCategoryInput, tf.slice(w, [dv, 0], [-1, -1])), this.edgeEncoder.b) as tf.Tensor2D;
    const e = gatherSumAct({ base, terms: [{ table, index: g.edgeCategory }], numRows: g.numEdges, activation: 'linear' });
    const u = tf.tile(this.globalInit, [g.numGraphs, 1]) as tf.Tensor2D;
    return { v, e, u };
  }

  /** Runs the model. Call inside tf.tidy (or dispose the outputs) to free intermediates. */
  apply(g: GraphTensors, options: ApplyOptions = {}): GMNOutput {
    const seeds = options.seed !== undefined ? createRng(options.seed) : this.dropoutRng;
    const ctx: ForwardContext = { training: options.training ?? false, nextSeed: () => seeds.next() };
    try {
      let state = this.encode(g);
      for (const layer of this.layers) state = layer.forward(g, state, ctx);
      return {
        graph: this.graphHead !== null ? this.graphHead.forward(g, state.v, state.e, state.u, ctx) : null,
        edge: this.edgeHead !== null ? this.edgeHead.forward(g, state.v, state.e, state.u, ctx) : null,
      };
    } catch (e) {
      // Inside trainStep the step's own handler names the chunk; here, a forward pass.
      throw asHeapExhausted(e, g, 'inference');
    }
  }

  /** The variables to train, in a stable order (the same as `weightNames()`). */
  get trainableVariables(): tf.Variable[] {
    return this.store.variables();
  }

  /** The names of the model's weights, in the stable order of `trainableVariables`. */
  weightNames(): string[] {
    return this.store.names();
  }

  /** Current weights by name (the variables themselves; do not dispose them). */
  getWeights(): Map<string, tf.Variable> {
    return new Map(this.store.names().map((n) => [n, this.store.get(n)]));
  }

  /** Assigns weights by name; every name must exist with the same shape. */
  setWeights(weights: ReadonlyMap<string, tf.Tensor>): void {
    for (const [name, t] of weights) {
      const v = this.store.get(name);
      if (!tf.util.arraysEqual(v.shape, t.shape)) {
        throw new Error(`weight ${name} has shape [${t.shape.join(',')}], the model expects [${v.shape.join(',')}]`);
      }
      v.assign(t);
    }
  }

  /** Frees every weight of the model. */
  dispose(): void {
    this.store.dispose();
  }
}

/** A GMN with `config` over the defaults (same as `new GMN(config)`). */
export function createGMN(config: Partial<GMNConfig> = {}): GMN {
  return new GMN(config);
}
export { DEFAULT_GMN_CONFIG, resolveConfig, type GMNConfig, type LayerNormPlacement } from './config';
