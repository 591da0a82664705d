import { hostMatrix, type HostMatrix } from '../src/matrix.js';

/** A host matrix from nested rows, for readable hand-computed cases. */
export function rows(data: number[][]): HostMatrix {
  const cols = data[0]?.length ?? 0;
  return hostMatrix(Float64Array.from(data.flat()), data.length, cols);
}

export const labels = (xs: number[]): Int32Array => Int32Array.from(xs);
