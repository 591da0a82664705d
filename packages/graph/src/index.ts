export * from './types';
export * from './errors';
export { toParameterGraph, type ToParameterGraphOptions } from './build';
export { fromParameterGraph, edgeValues } from './invert';
export { edgeOfParam, paramOfEdge, type EdgeParam } from './param-map';
export { batchGraphs, unbatchEdgeValues, unbatchNodeValues } from './batch';
export {
  toGraphology,
  fromGraphology,
  type ToGraphologyOptions,
  type ParameterGraphology,
  type GraphologyNodeAttributes,
  type GraphologyEdgeAttributes,
  type GraphologyGraphAttributes,
} from './graphology';
export { graphStats, type GraphStats, type LayerStats } from './stats';
export { toGraphML, type ToGraphMLOptions } from './graphml';
export { SUPPORTED_LAYERS } from './plan';
