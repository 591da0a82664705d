import type { Layer, LayerType } from '@metanet/spec';

export type Obj = Record<string, unknown>;

/** What one Keras layer's importer sees: its config, its weights, and where to put what it makes. */
export interface KerasContext {
  /** Index of the Keras layer in the Sequential config. */
  readonly index: number;
  readonly cls: string;
  readonly cfg: Obj;
  /** True for the model's last layer (a final softmax is dropped there). */
  readonly last: boolean;
  /** Input shape of this layer, without the batch axis. */
  readonly shape: readonly number[];
  /** (H, W, C) of a conv map that a Flatten just flattened in Keras's (H, W, C) order; the next Dense re-indexes its rows. */
  flattened: [number, number, number] | null;
  /** The layer's weight `kind` ('kernel', 'bias', 'gamma', ...). */
  weight(kind: string): { shape: number[]; data: Float32Array };
  /** Weight `kind` of another layer, by name (a residual block reads its layers' weights). */
  weightOf(layer: string, kind: string): { shape: number[]; data: Float32Array };
  /** Appends a layer to the spec, checking it fits. */
  push(layer: Layer): void;
  /** The imported params and buffers so far, in paramInfos/bufferInfos order; importers append theirs after `push`. */
  readonly params: Float32Array[];
  readonly buffers: Float32Array[];
  /** Appends the activation named by a Keras `activation` field (nothing for 'linear'). */
  activation(name: unknown): void;
  /** Throws InvalidNetFileError for a malformed file. */
  bad(message: string): never;
}

/** How the Keras layer classes that map to one of our layer types are read. */
export interface KerasImporter {
  readonly classes: readonly string[];
  read(ctx: KerasContext): void;
}

/** At most one importer per layer type; a type without one (attention, ...) has no Keras counterpart here. */
export type KerasImporters = { readonly [T in LayerType]?: KerasImporter };

/** A positive integer or a pair of them. */
export function pair(ctx: KerasContext, v: unknown, what: string): [number, number] {
  const a = Array.isArray(v) ? v : [v, v];
  if (a.length !== 2 || !a.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1)) return ctx.bad(`${what} must be a positive integer or a pair, got ${JSON.stringify(v)}`);
  return a as [number, number];
}
