import { tf } from '@metanet/tensor';

/** Base class of every error @metanet/mpnn throws on bad input. */
export class MpnnError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A graph handed to a model is malformed (indices out of range, wrong feature sizes, ...). */
export class InvalidGraphError extends MpnnError {}

/** A model or layer option is out of range or inconsistent. */
export class InvalidConfigError extends MpnnError {}

/** A saved GMN directory is missing, truncated, corrupt or from an unknown format version. */
export class InvalidGMNFileError extends MpnnError {}

/** A training loss became NaN or ±Inf; the step's update was not applied. One class for every training loop, from @metanet/tensor. */
export { NonFiniteLossError } from '@metanet/tensor';

/** A training chunk would need more memory than the backend's heap has free; nothing was run. */
export class HeapBudgetError extends MpnnError {}

/** The wasm heap ran out in the middle of a step; the backend cannot be used again in this process. */
export class HeapExhaustedError extends MpnnError {
  constructor(
    message: string,
    /** The WebAssembly trap's own message, e.g. 'memory access out of bounds'. */
    readonly trap: string,
  ) {
    super(message);
  }
}

/**
 * A WebAssembly trap from the backend, seen as the heap running out (see memory.ts), as a
 * HeapExhaustedError naming the chunk's size and what to restart with; other errors pass through.
 */
export function asHeapExhausted(e: unknown, chunk: { readonly numEdges: number }, during: 'training' | 'inference' = 'training'): unknown {
  let trap: string;
  if (e instanceof HeapExhaustedError) trap = e.trap; // from GMN#apply inside a training step
  else if (tf.getBackend() === 'wasm' && e instanceof WebAssembly.RuntimeError) trap = e.message;
  else return e;
  const fix =
    during === 'training'
      ? 'restart with smaller chunks (model.graphChunks(graphs) picks a size that fits)'
      : 'restart and run fewer graphs at a time';
  return new HeapExhaustedError(
    `the wasm backend trapped (${trap}) during ${during === 'training' ? 'a training step' : 'a forward pass'} on ${chunk.numEdges.toLocaleString('en-US')} edges, ` +
      `most likely because its 4 GiB heap ran out; it cannot be used again in this process: ${fix}`,
    trap,
  );
}
