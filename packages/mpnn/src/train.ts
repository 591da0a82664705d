import { tf } from '@metanet/tensor';
import type { GMN, GMNOutput } from './gmn';
import type { GraphTensors } from './graph-tensors';
import { NonFiniteLossError, asHeapExhausted } from './errors';
import { checkChunksFit } from './memory';
import { addGradient } from './nn/grad-sum';

export { NonFiniteLossError };
export { applyByEdges, trainStepByEdges, type EdgeChunkedLoss, type EdgeChunkedOutput, type EdgeChunkOptions } from './edge-chunks/index';
export { HeapBudgetError, HeapExhaustedError } from './errors';
export { maxTrainableEdges, trainingBytes, trainingMemory, type MeasurableModel, type MemoryOptions, type TrainingMemory } from './memory';

/**
 * The loss of one chunk of the batch. Chunk losses are summed, so normalise by the
 * whole batch (e.g. Σ over the chunk's edges / total edges) to get the batch loss.
 */
export type ChunkLoss = (output: GMNOutput, graph: GraphTensors, chunkIndex: number) => tf.Scalar;

/** Options of `trainStep`: training mode (dropout) and the step's dropout seed. */
export interface TrainStepOptions {
  /** Dropout on. Default true. */
  training?: boolean;
  /** Dropout seed of this step; chunk i uses seed + i. Default: the model's own stream. */
  seed?: number;
  /** Step number, only used in error messages. */
  step?: number;
  /**
   * Check, before anything runs, that the largest chunk fits the backend's heap (wasm:
   * 4 GiB), and throw HeapBudgetError naming a chunk size that does. Default true.
   */
  memoryCheck?: boolean;
  /** Heap size to plan against, in bytes (default: the wasm heap limit; none on cpu and tfjs-node). */
  heapLimitBytes?: number;
}

/**
 * One optimiser step over a batch given as chunks (e.g. one GraphTensors per graph,
 * or per few graphs): forward and backward per chunk, gradients summed, then one
 * update. Peak memory is that of the largest chunk, so a batch of any size trains
 * within a fixed heap; a chunk too large for the heap is refused with HeapBudgetError
 * before anything runs (see `memoryCheck`). Returns the batch loss.
 */
export function trainStep(
  model: GMN,
  optimizer: tf.Optimizer,
  chunks: readonly GraphTensors[],
  loss: ChunkLoss,
  options: TrainStepOptions = {},
): number {
  if ((options.memoryCheck ?? true) && chunks.length > 0) {
    try {
      checkChunksFit(model, chunks, options.heapLimitBytes !== undefined ? { heapLimitBytes: options.heapLimitBytes } : {});
    } catch (e) {
      // The first check measures the model on two small graphs, which can trap on a nearly full heap.
      throw asHeapExhausted(e, chunks[0]!);
    }
  }
  const vars = model.trainableVariables;
  const sums = new Map<string, tf.Tensor>();
  let total = 0;
  try {
    chunks.forEach((chunk, i) => {
      const seedOpt = options.seed !== undefined ? { seed: options.seed + i } : {};
      let step: { value: tf.Scalar; grads: tf.NamedTensorMap };
      try {
        step = tf.variableGrads(() => loss(model.apply(chunk, { training: options.training ?? true, ...seedOpt }), chunk, i), vars);
      } catch (e) {
        throw asHeapExhausted(e, chunk);
      }
      const { value, grads } = step;
      total += value.dataSync()[0]!;
      value.dispose();
      for (const [name, g] of Object.entries(grads)) addGradient(sums, name, g);
    });
    if (!Number.isFinite(total)) {
      throw new NonFiniteLossError(
        `loss is ${total} at step ${options.step ?? '?'}; lower the learning rate or check the inputs (weights not updated)`,
        options.step === undefined ? {} : { step: options.step },
      );
    }
    optimizer.applyGradients(Object.fromEntries(sums) as tf.NamedTensorMap);
  } finally {
    for (const g of sums.values()) g.dispose();
  }
  return total;
}
