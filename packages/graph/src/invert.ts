/**
 * fromParameterGraph: the bit-exact inverse of toParameterGraph. Each tensor is one contiguous
 * run of edges in row-major order, so the inverse is a strided copy per tensor, done on Uint32
 * views so that every bit pattern (NaN payloads included) comes back unchanged.
 */
import type { NetSpec } from '@metanet/spec';
import { GraphMismatchError } from './errors';
import { planGraph } from './plan';
import { paramRanges } from './param-check';
import { EDGE_FEATURE_DIM, type ParameterGraph } from './types';

function isGraph(x: ParameterGraph | Float32Array): x is ParameterGraph {
  return !(x instanceof Float32Array);
}

/**
 * Recovers the parameter tensors (Float32Arrays in `paramInfos(spec)` order) from a graph built
 * for `spec`, or from a vector of edge values: length E (one value per edge, e.g. an edge-level
 * GMN output; parameter-free edges are ignored) or P (parameters only). Always returns copies.
 */
export function fromParameterGraph(spec: NetSpec, source: ParameterGraph | Float32Array): Float32Array[] {
  const plan = planGraph(spec);
  const ranges = paramRanges(plan);
  if (isGraph(source)) {
    if (source.numEdges !== plan.numEdges || source.edgeFeatures.length !== plan.numEdges * EDGE_FEATURE_DIM) {
      throw new GraphMismatchError(
        `graph has ${source.numEdges} edges but the spec${spec.name ? ` ${spec.name}` : ''} gives ${plan.numEdges}; pass the spec the graph was built from`,
      );
    }
    ranges.forEach((r, j) => {
      const g = source.paramEdges[j];
      if (!g || g.start !== r.start || g.count !== r.count) {
        throw new GraphMismatchError(`graph's parameter range ${j} does not match ${r.name} of the spec; pass the spec the graph was built from`);
      }
    });
    const bits = new Uint32Array(source.edgeFeatures.buffer, source.edgeFeatures.byteOffset, source.edgeFeatures.length);
    return ranges.map((r) => {
      const out = new Float32Array(r.count);
      const ob = new Uint32Array(out.buffer);
      let f = r.start * EDGE_FEATURE_DIM;
      for (let k = 0; k < r.count; k++, f += EDGE_FEATURE_DIM) ob[k] = bits[f] as number;
      return out;
    });
  }
  if (source.length !== plan.numEdges && source.length !== plan.numParamEdges) {
    throw new GraphMismatchError(
      `edge values have length ${source.length}; this spec needs ${plan.numEdges} (all edges) or ${plan.numParamEdges} (parameter edges)`,
    );
  }
  // slice() copies bytes, so it is bit-exact too.
  return ranges.map((r) => source.slice(r.start, r.start + r.count));
}

/** The value column of a graph (edgeFeatures[:, 0]) as one Float32Array of length E, bit-exact. */
export function edgeValues(graph: ParameterGraph): Float32Array {
  const E = graph.numEdges;
  const out = new Float32Array(E);
  const ob = new Uint32Array(out.buffer);
  const bits = new Uint32Array(graph.edgeFeatures.buffer, graph.edgeFeatures.byteOffset, graph.edgeFeatures.length);
  for (let e = 0, f = 0; e < E; e++, f += EDGE_FEATURE_DIM) ob[e] = bits[f] as number;
  return out;
}
