/**
 * The parameter ↔ edge index map. Parameter edges are tensors back to back in `paramEdges`
 * order, so both directions are arithmetic on the ranges (a binary search for edge → parameter).
 */
import { ParamIndexError } from './errors';
import type { ParamEdgeRange, ParameterGraph } from './types';

/** The parameter an edge holds: the tensor's index and name, and the flat index inside it. */
export interface EdgeParam {
  /** Position of the tensor in `paramEdges` (= in `paramInfos(spec)`). */
  tensor: number;
  name: string;
  /** Flat row-major index inside the tensor. */
  index: number;
}

function rangeOf(graph: ParameterGraph, tensor: string | number): ParamEdgeRange {
  const r = typeof tensor === 'number' ? graph.paramEdges[tensor] : graph.paramEdges.find((p) => p.name === tensor);
  if (!r) {
    throw new ParamIndexError(`no parameter tensor ${JSON.stringify(tensor)} in this graph; use a name or position from graph.paramEdges`);
  }
  return r;
}

/** Edge id of element `index` (flat, row-major) of a parameter tensor, given by name or position. */
export function edgeOfParam(graph: ParameterGraph, tensor: string | number, index: number): number {
  const r = rangeOf(graph, tensor);
  if (!Number.isInteger(index) || index < 0 || index >= r.count) {
    throw new ParamIndexError(`index ${index} is outside ${r.name}, which has ${r.count} elements`);
  }
  return r.start + index;
}

/** The parameter an edge carries, or null for a parameter-free edge (residual, flatten, head). */
export function paramOfEdge(graph: ParameterGraph, edge: number): EdgeParam | null {
  if (!Number.isInteger(edge) || edge < 0 || edge >= graph.numEdges) {
    throw new ParamIndexError(`edge ${edge} is outside the graph's ${graph.numEdges} edges`);
  }
  const ranges = graph.paramEdges;
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const r = ranges[mid] as ParamEdgeRange;
    if (edge < r.start) hi = mid - 1;
    else if (edge >= r.start + r.count) lo = mid + 1;
    else return { tensor: mid, name: r.name, index: edge - r.start };
  }
  return null;
}
