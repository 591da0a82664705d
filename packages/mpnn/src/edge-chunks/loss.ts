import type { tf } from '@metanet/tensor';

/** The loss of an edge-chunked step: a graph-level part and a per-edge part summed over chunks. */
export interface EdgeChunkedLoss {
  /** Loss on the graph-level output (G × graphOutputs). */
  graph?: (graphOutput: tf.Tensor2D) => tf.Scalar;
  /** Loss on the edge outputs of edges [start, end); the step sums it over the chunks. */
  edge?: (edgeOutput: tf.Tensor2D, start: number, end: number) => tf.Scalar;
}
