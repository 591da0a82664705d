import type { tf } from '@metanet/tensor';
import { EmptyInputError, LabelRangeError, ShapeMismatchError } from './errors.js';

/**
 * A row-major (rows, cols) matrix on the host, e.g. logits (N, K) or features
 * (N, F). Metrics run on the host because they are small sequential loops
 * (sorting, Newton steps, libsvm) that gain nothing from a tensor backend.
 */
export interface HostMatrix {
  readonly values: Float32Array | Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** Either a host matrix or a rank-2 tensor, which is read once with `dataSync`. */
export type MatrixInput = HostMatrix | tf.Tensor2D;

/** Integer class ids: an Int32Array or a rank-1 int32 tensor. */
export type LabelsInput = Int32Array | tf.Tensor1D;

function isTensor(x: unknown): x is tf.Tensor {
  return typeof x === 'object' && x !== null && 'dataSync' in x && 'shape' in x;
}

/** Builds a {@link HostMatrix}, checking that `values` holds exactly rows × cols numbers. */
export function hostMatrix(values: Float32Array | Float64Array, rows: number, cols: number): HostMatrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new ShapeMismatchError(`matrix shape (${rows}, ${cols}) is not a pair of non-negative integers; pass whole row and column counts`);
  }
  if (values.length !== rows * cols) {
    throw new ShapeMismatchError(`matrix has ${values.length} values but shape (${rows}, ${cols}) needs ${rows * cols}; fix the shape or the data`);
  }
  return { values, rows, cols };
}

/** Reads a matrix input onto the host without copying host matrices. */
export function toHostMatrix(x: MatrixInput, what: string): HostMatrix {
  if (isTensor(x)) {
    if (x.rank !== 2) {
      throw new ShapeMismatchError(`${what} must be a rank-2 tensor (N, K), got shape [${x.shape.join(', ')}]; reshape it first`);
    }
    const [rows, cols] = x.shape as [number, number];
    return hostMatrix(Float32Array.from(x.dataSync() as ArrayLike<number>), rows, cols);
  }
  return hostMatrix(x.values, x.rows, x.cols);
}

/** Reads labels onto the host as an Int32Array. */
export function toHostLabels(y: LabelsInput, what: string): Int32Array {
  if (isTensor(y)) {
    if (y.rank !== 1) {
      throw new ShapeMismatchError(`${what} must be a rank-1 tensor (N), got shape [${y.shape.join(', ')}]; flatten it first`);
    }
    return Int32Array.from(y.dataSync() as ArrayLike<number>);
  }
  return y;
}

/**
 * Reads logits and labels together and checks that they pair up: same N,
 * N > 0, and every label in [0, K).
 */
export function readLabelled(
  logits: MatrixInput,
  labels: LabelsInput,
  what: string,
): { m: HostMatrix; y: Int32Array } {
  const m = toHostMatrix(logits, `${what} logits`);
  const y = toHostLabels(labels, `${what} labels`);
  if (m.rows !== y.length) {
    throw new ShapeMismatchError(`${what}: ${m.rows} rows of logits but ${y.length} labels; pass one label per row`);
  }
  if (m.rows === 0) {
    throw new EmptyInputError(`${what} is empty; pass at least one sample`);
  }
  if (m.cols === 0) {
    throw new ShapeMismatchError(`${what} logits have 0 columns; pass one column per class`);
  }
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    if (c < 0 || c >= m.cols) {
      throw new LabelRangeError(`${what}: label ${c} at index ${i} is outside [0, ${m.cols}); check the labels match the model's classes`);
    }
  }
  return { m, y };
}
