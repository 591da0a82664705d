import { ACTIVATIONS, type Activation } from '@metanet/tensor';
import { AGGREGATIONS, DIRECTIONS, type Aggregation, type BlockOptions, type Direction } from './layers/options';
import { DEFAULT_FEATURES, type FeatureConfig } from './encoders/features';
import { InvalidConfigError } from './errors';

/** Everything that defines a GMN's architecture (saved with the model). */
export interface GMNConfig {
  /** Node and edge feature width, and the hidden width of every update MLP. Default 32. */
  hidden: number;
  /** Global (per-graph) feature width. Default 32. */
  globalHidden: number;
  /** Number of MetaLayers. Default 4. */
  layers: number;
  /** Linear layers per update MLP (≥ 2). Default 2. */
  mlpLayers: number;
  /** Default 'sum'. */
  aggregation: Aggregation;
  /**
   * Which edges a node's messages come over: 'forward' (incoming, the seed's equation),
   * 'backward' (outgoing) or 'both' (one message MLP per direction, aggregates added). Edge-level
   * heads that must react to what sits at the network's outputs need 'backward' or 'both'.
   * Default 'forward'; files saved before the field existed load as 'forward'.
   */
  direction: Direction;
  /** Default 'relu'. */
  activation: Activation;
  /** Default true. */
  residual: boolean;
  /**
   * LayerNorm after the updates: 'node-global' normalises node and global features
   * (N + G rows, cheap, and it keeps sums over hundreds of incoming edges from
   * compounding across layers); 'all' also normalises every edge (E rows); 'none'.
   * Default 'node-global'.
   */
  layerNorm: LayerNormPlacement;
  /** Default 0. */
  dropout: number;
  /** Which updates each MetaLayer runs. Default all true. */
  edgeUpdate: boolean;
  nodeUpdate: boolean;
  globalUpdate: boolean;
  /** Width of the graph-level output; 0 = no graph head. Default 1. */
  graphOutputs: number;
  /** Values per edge of the edge-level output; 0 = no edge head. Default 0. */
  edgeOutputs: number;
  /** Start the edge head at 0 (a weight-delta editor starts as the identity). Default true. */
  edgeHeadZeroInit: boolean;
  /** Fixed encoder features. */
  features: FeatureConfig;
  /** Textbook concat-per-edge first layers (benchmark reference). Default false. */
  naive: boolean;
  /** Initialisation seed. Default 0. */
  seed: number;
}

/** Where a GMN normalises: nowhere, after node and global updates, or on edges too. */
export type LayerNormPlacement = 'none' | 'node-global' | 'all';
/** Every `LayerNormPlacement`. */
export const LAYER_NORM_PLACEMENTS: readonly LayerNormPlacement[] = ['none', 'node-global', 'all'];

/** The defaults every `GMNConfig` field falls back to. */
export const DEFAULT_GMN_CONFIG: GMNConfig = {
  hidden: 32,
  globalHidden: 32,
  layers: 4,
  mlpLayers: 2,
  aggregation: 'sum',
  direction: 'forward',
  activation: 'relu',
  residual: true,
  layerNorm: 'node-global',
  dropout: 0,
  edgeUpdate: true,
  nodeUpdate: true,
  globalUpdate: true,
  graphOutputs: 1,
  edgeOutputs: 0,
  edgeHeadZeroInit: true,
  features: DEFAULT_FEATURES,
  naive: false,
  seed: 0,
};

function intIn(name: string, v: unknown, lo: number, hi: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new InvalidConfigError(`GMN config ${name}=${String(v)}; use an integer in ${lo}..${hi}`);
  }
}

function bool(name: string, v: unknown): void {
  if (typeof v !== 'boolean') throw new InvalidConfigError(`GMN config ${name}=${String(v)}; use true or false`);
}

/** Fills defaults and checks every field; throws InvalidConfigError naming the bad field. */
export function resolveConfig(partial: Partial<GMNConfig> = {}): GMNConfig {
  if (typeof partial !== 'object' || partial === null || Array.isArray(partial)) {
    throw new InvalidConfigError('GMN config must be an object');
  }
  const c: GMNConfig = {
    ...DEFAULT_GMN_CONFIG,
    ...partial,
    features: { ...DEFAULT_FEATURES, ...(partial.features ?? {}) },
  };
  intIn('hidden', c.hidden, 1, 4096);
  intIn('globalHidden', c.globalHidden, 1, 4096);
  intIn('layers', c.layers, 0, 64);
  intIn('mlpLayers', c.mlpLayers, 2, 16);
  intIn('graphOutputs', c.graphOutputs, 0, 65536);
  intIn('edgeOutputs', c.edgeOutputs, 0, 4096);
  intIn('features.frequencies', c.features.frequencies, 0, 64);
  intIn('features.valueFrequencies', c.features.valueFrequencies, 0, 32);
  if (c.features.heads !== undefined) intIn('features.heads', c.features.heads, 0, 64);
  if (c.features.nodeExtra !== undefined) intIn('features.nodeExtra', c.features.nodeExtra, 0, 1024);
  if (!Number.isInteger(c.seed)) throw new InvalidConfigError(`GMN config seed=${String(c.seed)}; use an integer`);
  for (const k of ['residual', 'edgeUpdate', 'nodeUpdate', 'globalUpdate', 'edgeHeadZeroInit', 'naive'] as const) {
    bool(k, c[k]);
  }
  if (!AGGREGATIONS.includes(c.aggregation)) {
    throw new InvalidConfigError(`GMN config aggregation=${String(c.aggregation)}; use one of ${AGGREGATIONS.join(', ')}`);
  }
  if (!DIRECTIONS.includes(c.direction)) {
    throw new InvalidConfigError(`GMN config direction=${String(c.direction)}; use one of ${DIRECTIONS.join(', ')}`);
  }
  if (!ACTIVATIONS.includes(c.activation)) {
    throw new InvalidConfigError(`GMN config activation=${String(c.activation)}; use one of ${ACTIVATIONS.join(', ')}`);
  }
  if (!LAYER_NORM_PLACEMENTS.includes(c.layerNorm)) {
    throw new InvalidConfigError(`GMN config layerNorm=${String(c.layerNorm)}; use one of ${LAYER_NORM_PLACEMENTS.join(', ')}`);
  }
  if (typeof c.dropout !== 'number' || !(c.dropout >= 0 && c.dropout < 1)) {
    throw new InvalidConfigError(`GMN config dropout=${String(c.dropout)}; use a rate in [0, 1)`);
  }
  if (c.graphOutputs === 0 && c.edgeOutputs === 0) {
    throw new InvalidConfigError('GMN config has no head; set graphOutputs and/or edgeOutputs above 0');
  }
  return c;
}

/** Block options for one kind of update. */
export function blockOptions(c: GMNConfig, kind: 'edge' | 'node' | 'global' | 'head'): BlockOptions {
  const layerNorm = kind === 'head' ? false : kind === 'edge' ? c.layerNorm === 'all' : c.layerNorm !== 'none';
  return {
    hidden: c.hidden,
    mlpLayers: c.mlpLayers,
    activation: c.activation,
    aggregation: c.aggregation,
    residual: c.residual,
    layerNorm,
    dropout: c.dropout,
    naive: c.naive,
  };
}
