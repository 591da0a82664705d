import type { Activation } from '@metanet/tensor';

/** How messages and readouts are pooled. */
export type Aggregation = 'sum' | 'mean' | 'max';
/** Every aggregation. */
export const AGGREGATIONS: readonly Aggregation[] = ['sum', 'mean', 'max'];

/**
 * Which edges a node's messages come over: 'forward' its incoming edges (j → i, the seed's
 * equation), 'backward' its outgoing ones (i → j), 'both' the two, each with its own message MLP.
 */
export type Direction = 'forward' | 'backward' | 'both';
/** Every message direction. */
export const DIRECTIONS: readonly Direction[] = ['forward', 'backward', 'both'];

/** Options shared by EdgeModel, NodeModel and GlobalModel. */
export interface BlockOptions {
  /** Hidden width of each update MLP. */
  hidden: number;
  /** Linear layers per update MLP (≥ 2); the last has no activation. */
  mlpLayers: number;
  activation: Activation;
  /** How messages are pooled at a node, and nodes/edges pooled per graph. */
  aggregation: Aggregation;
  /** x ← x + MLP(...) when the input and output widths agree. */
  residual: boolean;
  /** LayerNorm on each update's output (after the residual). */
  layerNorm: boolean;
  /** Dropout rate on hidden activations while training. */
  dropout: number;
  /**
   * Concatenate [v_i, v_j, e, u] per edge and multiply (the textbook form), instead of
   * projecting on nodes and gathering. Same parameters, same outputs; kept for the
   * benchmark comparison and as a reference in tests.
   */
  naive: boolean;
}

/** Per-call state: whether we train (dropout) and where dropout seeds come from. */
export interface ForwardContext {
  training: boolean;
  /** The seed of the next dropout mask. */
  nextSeed(): number;
}

/** The forward context of inference: no dropout. */
export const INFERENCE: ForwardContext = { training: false, nextSeed: () => 0 };
